// Dutch by default, English on request; the choice is remembered in localStorage.
const dict = {
  nl: {
    'app.title': 'Wijkbeeld',
    'nav.label': 'Hoofdmenu',
    'nav.map': 'Kaart',
    'nav.segregation': 'Segregatie',
    'nav.compare': 'Vergelijking',
    'nav.effort': 'Inzet',
    'nav.transitions': 'Overgangen',
    'cmp.title': 'Gelabelde gebieden tegenover de rest',
    'cmp.label': 'Label',
    'cmp.hint': 'Ongewogen gemiddelde van de gebieden met het label (doorgetrokken) en van alle andere gebieden van hetzelfde niveau (gestreept), per jaar.',
    'cmp.members': 'met label',
    'cmp.rest': 'overige',
    'cmp.none': 'Geen labels in de database (importeer ze met import labels).',
    'seg.title': 'Segregatie in de tijd',
    'seg.municipality': 'Gemeente',
    'seg.groups': 'Groepen',
    'seg.unit': 'Eenheden',
    'seg.hint': 'D: ongelijkheidsindex (0 = gelijk verdeeld, 1 = volledig gescheiden); H: Theils entropie-index; M: wederzijdse informatie, met het deel tussen wijken. Isolatie: kans dat een groepsgenoot in dezelfde eenheid woont.',
    'seg.none': 'Geen groepsindicatoren in de database (bijvoorbeeld a_w_all en a_nw_all met a_inw).',
    'seg.loading': 'Berekenen…',
    'seg.empty': 'Geen uitkomsten voor deze keuze.',
    'seg.col.year': 'Jaar',
    'seg.col.units': 'Eenheden',
    'seg.col.population': 'Bevolking',
    'seg.col.between': 'M tussen wijken',
    'seg.col.isolation': 'Isolatie',
    'seg.preset.migratie': 'Migratieachtergrond (westers, niet-westers, overig)',
    'seg.preset.opleiding': 'Opleidingsniveau (laag, middelbaar, hoog)',
    'seg.preset.inkomen': 'Laag inkomen tegenover de rest',
    'seg.chart': 'Segregatie-indices',
    'lang.switch': 'Switch to English',
    'map.title': 'Kaart van de wijken',
    'map.indicator': 'Indicator',
    'map.level': 'Niveau',
    'map.year': 'Jaar',
    'map.search': 'Ga naar gebied',
    'map.search.placeholder': 'naam of code, Enter opent',
    'map.caption': 'Kaart: gebieden zijn met Tab te bereiken, Enter opent het profiel.',
    'map.loading': 'Kaart laden…',
    'map.empty': 'Geen gegevens voor deze keuze.',
    'map.nogeo': 'Geen grenzen van {year} voor dit niveau in de database.',
    'map.count': '{n} gebieden, {m} met een waarde (grenzen van {by}).',
    'map.nodata': 'geen gegevens',
    'map.legend': 'Legenda',
    'map.open': 'Enter opent het profiel',
    'level.gemeente': 'Gemeenten',
    'level.wijk': 'Wijken',
    'level.buurt': 'Buurten',
    'level.land': 'Land',
    'profile.loading': 'Profiel laden…',
    'profile.notfound': 'Gebied niet gevonden.',
    'profile.in': 'in',
    'profile.boundaries': 'grenzen van',
    'profile.export.csv': 'Exporteer CSV',
    'profile.export.geojson': 'Exporteer GeoJSON',
    'profile.print': 'Afdrukken (A4)',
    'profile.charts': 'Ontwikkeling in de tijd',
    'profile.charts.hint': 'Doorgetrokken lijn: dit gebied; gestreept: het omliggende gebied; gestippeld: Nederland of het gemiddelde van het niveau. De verticale lijn markeert 2012. Bij aantallen alleen dit gebied.',
    'profile.table': 'Kerncijfers',
    'profile.col.indicator': 'Indicator',
    'profile.col.year': 'Jaar',
    'profile.col.value': 'Waarde',
    'profile.col.parent': 'Omliggend gebied',
    'profile.col.nation': 'Nederland',
    'profile.col.unit': 'Eenheid',
    'profile.col.trend': 'Trend',
    'profile.score': 'Leefbaarheidsscore',
    'profile.score.hint': 'Bijdrage: hoeveel elke dimensie aan de score bijdraagt (samen de score).',
    'profile.score.dim': 'Dimensie',
    'profile.score.value': 'Waarde',
    'profile.score.contribution': 'Bijdrage',
    'profile.score.class': 'klasse',
    'trend.improving': '↑ verbetert',
    'trend.stagnating': '→ stagneert',
    'trend.declining': '↓ verslechtert',
    'trend.rising': '↗ stijgt',
    'trend.steady': '→ stabiel',
    'trend.falling': '↘ daalt',
    'trend.title': 'Trend sinds 2012 ({from}–{to}): {slope} per jaar, p = {p}.',
    'trend.title.break': 'Hellingsmodel: {before} per jaar vóór {brk}, {after} erna.',
    'profile.ref.mean': '* geen landelijke waarde in de database: ongewogen gemiddelde van alle gebieden van dit niveau.',
    'profile.nocharts': 'Geen tijdreeksen voor dit gebied.',
    'chart.area': 'dit gebied',
    'chart.parent': 'omliggend',
    'chart.ref': 'Nederland / gemiddelde',
    'level.name.gemeente': 'gemeente',
    'level.name.wijk': 'wijk',
    'level.name.buurt': 'buurt',
    'level.name.land': 'land',
    'error': 'Er ging iets mis: {msg}',
  },
  en: {
    'app.title': 'Wijkbeeld',
    'nav.label': 'Main menu',
    'nav.map': 'Map',
    'nav.segregation': 'Segregation',
    'nav.compare': 'Comparison',
    'nav.effort': 'Effort',
    'nav.transitions': 'Transitions',
    'cmp.title': 'Labelled areas against the rest',
    'cmp.label': 'Label',
    'cmp.hint': 'Unweighted mean of the areas with the label (solid) and of all other areas of the same level (dashed), per year.',
    'cmp.members': 'labelled',
    'cmp.rest': 'others',
    'cmp.none': 'No labels in the database (import them with import labels).',
    'seg.title': 'Segregation over time',
    'seg.municipality': 'Municipality',
    'seg.groups': 'Groups',
    'seg.unit': 'Units',
    'seg.hint': 'D: dissimilarity (0 = even, 1 = fully separated); H: Theil\'s entropy index; M: mutual information, with the part between districts. Isolation: the chance that a member of the group lives in the same unit as another member.',
    'seg.none': 'No group indicators in the database (for instance a_w_all and a_nw_all with a_inw).',
    'seg.loading': 'Computing…',
    'seg.empty': 'No results for this choice.',
    'seg.col.year': 'Year',
    'seg.col.units': 'Units',
    'seg.col.population': 'Population',
    'seg.col.between': 'M between districts',
    'seg.col.isolation': 'Isolation',
    'seg.preset.migratie': 'Migration background (western, non-western, other)',
    'seg.preset.opleiding': 'Education (low, middle, high)',
    'seg.preset.inkomen': 'Low income against the rest',
    'seg.chart': 'Segregation indices',
    'lang.switch': 'Naar Nederlands',
    'map.title': 'Neighbourhood map',
    'map.indicator': 'Indicator',
    'map.level': 'Level',
    'map.year': 'Year',
    'map.search': 'Go to area',
    'map.search.placeholder': 'name or code, Enter opens',
    'map.caption': 'Map: areas can be reached with Tab, Enter opens the profile.',
    'map.loading': 'Loading the map…',
    'map.empty': 'No data for this choice.',
    'map.nogeo': 'No boundaries of {year} for this level in the database.',
    'map.count': '{n} areas, {m} with a value ({by} boundaries).',
    'map.nodata': 'no data',
    'map.legend': 'Legend',
    'map.open': 'Enter opens the profile',
    'level.gemeente': 'Municipalities',
    'level.wijk': 'Districts (wijken)',
    'level.buurt': 'Neighbourhoods (buurten)',
    'level.land': 'Country',
    'profile.loading': 'Loading the profile…',
    'profile.notfound': 'Area not found.',
    'profile.in': 'in',
    'profile.boundaries': 'boundaries of',
    'profile.export.csv': 'Export CSV',
    'profile.export.geojson': 'Export GeoJSON',
    'profile.print': 'Print (A4)',
    'profile.charts': 'Over time',
    'profile.charts.hint': 'Solid line: this area; dashed: the enclosing area; dotted: the Netherlands or the mean of the level. The vertical line marks 2012. Counts show this area only.',
    'profile.table': 'Key figures',
    'profile.col.indicator': 'Indicator',
    'profile.col.year': 'Year',
    'profile.col.value': 'Value',
    'profile.col.parent': 'Enclosing area',
    'profile.col.nation': 'Netherlands',
    'profile.col.unit': 'Unit',
    'profile.col.trend': 'Trend',
    'profile.score': 'Livability score',
    'profile.score.hint': 'Contribution: how much each dimension adds to the score (together the score).',
    'profile.score.dim': 'Dimension',
    'profile.score.value': 'Value',
    'profile.score.contribution': 'Contribution',
    'profile.score.class': 'class',
    'trend.improving': '↑ improving',
    'trend.stagnating': '→ stagnating',
    'trend.declining': '↓ declining',
    'trend.rising': '↗ rising',
    'trend.steady': '→ steady',
    'trend.falling': '↘ falling',
    'trend.title': 'Trend since 2012 ({from}–{to}): {slope} a year, p = {p}.',
    'trend.title.break': 'Hinge model: {before} a year before {brk}, {after} after.',
    'profile.ref.mean': '* no national value in the database: unweighted mean of all areas of this level.',
    'profile.nocharts': 'No time series for this area.',
    'chart.area': 'this area',
    'chart.parent': 'enclosing',
    'chart.ref': 'Netherlands / mean',
    'level.name.gemeente': 'municipality',
    'level.name.wijk': 'district',
    'level.name.buurt': 'neighbourhood',
    'level.name.land': 'country',
    'error': 'Something went wrong: {msg}',
  },
};

let lang = 'nl';
try {
  const saved = localStorage.getItem('wb-lang');
  if (saved === 'en' || saved === 'nl') lang = saved;
} catch (e) { /* storage may be unavailable */ }

export function getLang() { return lang; }

export function t(key, vars) {
  let s = (dict[lang] && dict[lang][key]) || dict.nl[key] || key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll('{' + k + '}', String(v));
  return s;
}

/** The label of an indicator in the current language. */
export function label(ind) {
  return (lang === 'en' ? ind.label_en || ind.label_nl : ind.label_nl || ind.label_en) || ind.key;
}

const numberFormats = {};
/** A number in the current language's notation; '—' for missing. */
export function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) v = 0; // no "-0"
  if (digits === 'compact') {
    const k = lang + 'c';
    if (!numberFormats[k]) numberFormats[k] = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { notation: 'compact', maximumFractionDigits: 1 });
    return numberFormats[k].format(v);
  }
  const d = digits === undefined ? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 2 : 3) : digits;
  const k = lang + d;
  if (!numberFormats[k]) numberFormats[k] = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: d });
  return numberFormats[k].format(v);
}

/** Apply translations to [data-i18n] elements and set up the language button. */
export function applyI18n(onChange) {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  const btn = document.getElementById('lang');
  if (btn) {
    btn.textContent = lang === 'nl' ? 'EN' : 'NL';
    btn.setAttribute('aria-label', t('lang.switch'));
    btn.onclick = () => {
      lang = lang === 'nl' ? 'en' : 'nl';
      try { localStorage.setItem('wb-lang', lang); } catch (e) { /* ignore */ }
      applyI18n(onChange);
      if (onChange) onChange();
    };
  }
}

/** Add translations of another part of the dashboard (e.g. the register's). */
export function addStrings(nl, en) {
  Object.assign(dict.nl, nl);
  Object.assign(dict.en, en);
}
