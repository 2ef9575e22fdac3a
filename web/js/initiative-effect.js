// The measured effect on the initiative page: fills #effect-section from
// GET /api/initiatives/{id}/effect (web/js/effect.js). An initiative without a start date or
// without target indicators has no effect to measure: the section stays hidden.
import { api } from './api.js';
import { effectPanel } from './effect.js';

async function main() {
  const sec = document.getElementById('effect-section');
  const id = new URLSearchParams(location.search).get('id');
  if (!sec || !id) return;
  try {
    const { data } = await api('initiatives/' + encodeURIComponent(id) + '/effect', {});
    if (data.measurable) {
      sec.replaceChildren(effectPanel(data));
      sec.hidden = false;
    }
    sec.dataset.ready = '1';
  } catch (e) {
    sec.hidden = true; /* 401/403/404: the page itself says why */
    sec.dataset.ready = '1';
  }
}

main();
