/** @file @brief The SQLite schema as migrations; migration i brings user_version i-1 to i. */
#ifndef WB_STORE_SCHEMA_H
#define WB_STORE_SCHEMA_H

static const char *const wb_migrations[] = {
    /* 0 -> 1: the foundation */
    "CREATE TABLE area ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"                    /* boundary year */
    "  level TEXT NOT NULL CHECK (level IN ('land','gemeente','wijk','buurt','other')),"
    "  name TEXT,"
    "  parent TEXT,"                              /* code of the enclosing area, same year */
    "  UNIQUE (code, year));"
    "CREATE INDEX area_level_year ON area(level, year);"
    "CREATE INDEX area_parent ON area(parent, year);"
    "CREATE TABLE indicator ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    "  label_nl TEXT, label_en TEXT, unit TEXT,"
    "  direction INTEGER NOT NULL DEFAULT 0 CHECK (direction IN (-1,0,1)),"
    "  dimension TEXT, source TEXT);"
    "CREATE TABLE indicator_alias ("
    "  alias TEXT PRIMARY KEY COLLATE NOCASE,"
    "  indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE);"
    "CREATE TABLE observation ("
    "  indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE CASCADE,"
    "  year INTEGER NOT NULL,"                    /* data year */
    "  value REAL,"                               /* NULL = missing, never 0 */
    "  PRIMARY KEY (indicator_id, year, area_id)) WITHOUT ROWID;"
    "CREATE INDEX observation_area ON observation(area_id, indicator_id, year);"
    "CREATE TABLE geometry ("
    "  area_id INTEGER PRIMARY KEY REFERENCES area(id) ON DELETE CASCADE,"
    "  wkb BLOB NOT NULL,"                        /* RD New (EPSG:28992) metres */
    "  minx REAL NOT NULL, miny REAL NOT NULL, maxx REAL NOT NULL, maxy REAL NOT NULL);"
    "CREATE TABLE label_set ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  description TEXT);"
    "CREATE TABLE label_member ("
    "  set_id INTEGER NOT NULL REFERENCES label_set(id) ON DELETE CASCADE,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (set_id, area_id)) WITHOUT ROWID;"
    "CREATE TABLE import_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  kind TEXT NOT NULL, file TEXT, summary TEXT);",

    /* 1 -> 2: working together (issue 6): accounts, sessions, partners, themes, initiatives,
     * milestones, contributions, resident proposals and supports, settings, audit log.
     * Dates are ISO 'YYYY-MM-DD' text; date(x, '+0 days') IS x rejects impossible dates such
     * as 2021-02-30 (the modifier turns them into another day); times of sessions and login
     * failures are unix seconds. STRICT tables refuse values of the wrong type. */
    "CREATE TABLE partner ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),"
    "  type TEXT NOT NULL CHECK (type IN ('gemeente','woningcorporatie','zorg en welzijn',"
    "    'politie','onderwijs','bewonersorganisatie','ondernemers','overig')),"
    "  contact TEXT CHECK (contact IS NULL OR length(contact) <= 500),"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))) STRICT;"
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),"
    "  role TEXT NOT NULL CHECK (role IN ('admin','partner','resident','viewer')),"
    "  partner_id INTEGER REFERENCES partner(id) ON DELETE RESTRICT,"
    "  hash TEXT NOT NULL CHECK (substr(hash, 1, 10) = '$argon2id$'),"  /* never a clear password */
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),"
    "  CHECK ((role = 'partner') = (partner_id IS NOT NULL))) STRICT;"
    "CREATE INDEX users_partner ON users(partner_id);"
    /* failed logins per 'user:<name>' and per 'client:<key>' for rate limiting */
    "CREATE TABLE login_failure ("
    "  key TEXT PRIMARY KEY,"
    "  failures INTEGER NOT NULL CHECK (failures >= 0),"
    "  last_at INTEGER NOT NULL,"
    "  locked_until INTEGER NOT NULL DEFAULT 0) STRICT;"
    /* only a BLAKE2b-256 hash of the session token is stored; the CSRF token is derived
     * from the raw token (keyed BLAKE2b), so neither can be recovered from the file */
    "CREATE TABLE session ("
    "  id INTEGER PRIMARY KEY,"
    "  token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  CHECK (expires >= created AND last_seen >= created)) STRICT;"
    "CREATE INDEX session_user ON session(user_id);"
    "CREATE INDEX session_expires ON session(expires);"
    "CREATE TABLE setting ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL) STRICT;"
    "INSERT INTO setting(key, value) VALUES ('monitor_public', '1');"
    "CREATE TABLE theme ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 100),"
    "  builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0,1))) STRICT;"
    "INSERT INTO theme(name, builtin) VALUES ('veiligheid',1),"
    "  ('sociale menging en segregatie',1), ('verduurzaming en energie',1),"
    "  ('armoede en schulden',1), ('jeugd',1), ('gezondheid',1), ('wonen',1),"
    "  ('openbare ruimte',1), ('meedoen en participatie',1);"
    "CREATE TABLE initiative ("
    "  id INTEGER PRIMARY KEY,"
    "  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),"
    "  description TEXT CHECK (description IS NULL OR length(description) <= 10000),"
    "  status TEXT NOT NULL CHECK (status IN ('idee','gepland','lopend','afgerond','gestopt')),"
    "  start_date TEXT CHECK (start_date IS NULL OR date(start_date, '+0 days') IS start_date),"
    "  end_date TEXT CHECK (end_date IS NULL OR date(end_date, '+0 days') IS end_date),"
    "  lead_partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE RESTRICT,"
    "  proposal_id INTEGER UNIQUE REFERENCES proposal(id) ON DELETE SET NULL,"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date)) STRICT;"
    "CREATE INDEX initiative_lead ON initiative(lead_partner_id);"
    "CREATE INDEX initiative_status ON initiative(status);"
    "CREATE TABLE initiative_theme ("
    "  initiative_id INTEGER NOT NULL REFERENCES initiative(id) ON DELETE CASCADE,"
    "  theme_id INTEGER NOT NULL REFERENCES theme(id) ON DELETE RESTRICT,"
    "  PRIMARY KEY (initiative_id, theme_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX initiative_theme_theme ON initiative_theme(theme_id);"
    /* target areas: rows of `area`, hence buurten/wijken of one boundary year */
    "CREATE TABLE initiative_area ("
    "  initiative_id INTEGER NOT NULL REFERENCES initiative(id) ON DELETE CASCADE,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE RESTRICT,"
    "  PRIMARY KEY (initiative_id, area_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX initiative_area_area ON initiative_area(area_id);"
    /* indicator key or score dimension the initiative aims to move: +1 up, -1 down */
    "CREATE TABLE initiative_target ("
    "  initiative_id INTEGER NOT NULL REFERENCES initiative(id) ON DELETE CASCADE,"
    "  indicator TEXT NOT NULL CHECK (length(indicator) BETWEEN 1 AND 63),"
    "  direction INTEGER NOT NULL CHECK (direction IN (-1,1)),"
    "  PRIMARY KEY (initiative_id, indicator)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX initiative_target_indicator ON initiative_target(indicator);"
    "CREATE TABLE milestone ("
    "  id INTEGER PRIMARY KEY,"
    "  initiative_id INTEGER NOT NULL REFERENCES initiative(id) ON DELETE CASCADE,"
    "  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),"
    "  due TEXT CHECK (due IS NULL OR date(due, '+0 days') IS due),"
    "  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),"
    "  note TEXT CHECK (note IS NULL OR length(note) <= 2000)) STRICT;"
    "CREATE INDEX milestone_initiative ON milestone(initiative_id);"
    /* amount: euros (money_eur), hours (hours) or the estimated value in euros (in_kind) */
    "CREATE TABLE contribution ("
    "  id INTEGER PRIMARY KEY,"
    "  initiative_id INTEGER NOT NULL REFERENCES initiative(id) ON DELETE CASCADE,"
    "  partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE RESTRICT,"
    "  kind TEXT NOT NULL CHECK (kind IN ('money_eur','hours','in_kind')),"
    "  amount REAL NOT NULL CHECK (amount >= 0 AND amount < 1e12),"
    "  start_date TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),"
    "  end_date TEXT NOT NULL CHECK (date(end_date, '+0 days') IS end_date),"
    "  note TEXT CHECK (note IS NULL OR length(note) <= 2000),"
    "  CHECK (end_date >= start_date)) STRICT;"
    "CREATE INDEX contribution_initiative ON contribution(initiative_id, start_date);"
    "CREATE INDEX contribution_partner ON contribution(partner_id);"
    "CREATE TABLE proposal ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE RESTRICT,"
    "  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),"
    "  body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),"
    "  theme_id INTEGER NOT NULL REFERENCES theme(id) ON DELETE RESTRICT,"
    "  est_cost_eur REAL CHECK (est_cost_eur IS NULL OR (est_cost_eur >= 0 AND est_cost_eur < 1e12)),"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','adopted','declined','hidden')),"
    "  decline_reason TEXT CHECK (decline_reason IS NULL OR length(decline_reason) BETWEEN 1 AND 2000),"
    "  initiative_id INTEGER UNIQUE REFERENCES initiative(id) ON DELETE SET NULL,"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  CHECK (status <> 'declined' OR decline_reason IS NOT NULL)) STRICT;"
    "CREATE INDEX proposal_area ON proposal(area_id);"
    "CREATE INDEX proposal_user ON proposal(user_id);"
    "CREATE TABLE support ("
    "  proposal_id INTEGER NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  PRIMARY KEY (proposal_id, user_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX support_user ON support(user_id);"
    /* who (user id, or NULL for the command line; actor is the name recorded), when, what,
     * before and after as JSON. Append-only: the triggers refuse updates and deletes. */
    "CREATE TABLE audit_log ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
    "  user_id INTEGER,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id INTEGER,"
    "  before TEXT CHECK (before IS NULL OR json_valid(before)),"
    "  after TEXT CHECK (after IS NULL OR json_valid(after))) STRICT;"
    "CREATE INDEX audit_entity ON audit_log(entity, entity_id);"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    /* 2 -> 3: observations in chunks (src/store/obs.c; the measurements behind it are in
     * docs/store.md). One row per (248 consecutive area ids, indicator, data year); the rowid
     * packs the key, chunk << 32 | indicator_id << 12 | year; data holds a 32-byte presence
     * bitmap and a little-endian double per present area (NaN = missing, never 0). SQL keeps
     * reading and writing `observation` (indicator_id, area_id, year, value): an eponymous
     * virtual table that every wijkbeeld connection registers (not the sqlite3 shell). After
     * this SQL, wb_obs__migrate_v3 copies the rows of the version-1 table and drops it. The
     * triggers replace the ON DELETE CASCADE of the version-1 table. Touches no table of
     * migration 2. */
    "CREATE TABLE obs_chunk ("
    "  id INTEGER PRIMARY KEY,"
    "  data BLOB NOT NULL,"
    "  chunk INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,"
    "  indicator_id INTEGER GENERATED ALWAYS AS ((id >> 12) & 1048575) VIRTUAL,"
    "  year INTEGER GENERATED ALWAYS AS (id & 4095) VIRTUAL);"
    "CREATE INDEX obs_chunk_series ON obs_chunk(indicator_id, year);"
    "CREATE TRIGGER area_delete_observations AFTER DELETE ON area BEGIN"
    "  DELETE FROM observation WHERE area_id = old.id; END;"
    "CREATE TRIGGER indicator_delete_observations AFTER DELETE ON indicator BEGIN"
    "  DELETE FROM obs_chunk WHERE indicator_id = old.id; END;",

    /* 3 -> 4: crosswalks between boundary years (src/store/crosswalk.c, docs/crosswalk.md).
     * A crosswalk links the areas of one level in two boundary years; its pairs refer to rows
     * of `area` (code and year), never to codes alone. weight: what a pair's weight counts
     * (addresses, area in m2, inhabitants, an indicator's amount, or 'share': fractions of the
     * from-area, usable from -> to only). crosswalk_area lists the areas of both sides with
     * their total weight: the sum of their pairs, or more when part of an area's weight lies
     * in no area of the other year (a coast drawn differently), so that shares are
     * weight / total. implied = 1 marks a pair the importer added because the publisher's
     * rule says so (an unchanged wijk kept its code and addresses), with weight 1.
     * At most one crosswalk per level and pair of years, in either direction (the index on
     * min/max of the years). Areas in a crosswalk cannot be deleted (RESTRICT). */
    "CREATE TABLE crosswalk ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),"
    "  level TEXT NOT NULL CHECK (level IN ('land','gemeente','wijk','buurt','other')),"
    "  from_year INTEGER NOT NULL CHECK (from_year BETWEEN 1800 AND 2200),"
    "  to_year INTEGER NOT NULL CHECK (to_year BETWEEN 1800 AND 2200),"
    "  weight TEXT NOT NULL CHECK (weight IN ('addresses','area','inhabitants','share','indicator')),"
    "  indicator TEXT CHECK ((weight = 'indicator') = (indicator IS NOT NULL)),"
    "  source TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 2000),"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
    "  CHECK (from_year <> to_year)) STRICT;"
    "CREATE UNIQUE INDEX crosswalk_years ON crosswalk(level, min(from_year, to_year), max(from_year, to_year));"
    "CREATE TABLE crosswalk_area ("
    "  crosswalk_id INTEGER NOT NULL REFERENCES crosswalk(id) ON DELETE CASCADE,"
    "  area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE RESTRICT,"
    "  total REAL NOT NULL CHECK (total >= 0),"
    "  PRIMARY KEY (crosswalk_id, area_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX crosswalk_area_area ON crosswalk_area(area_id);"
    "CREATE TABLE crosswalk_pair ("
    "  crosswalk_id INTEGER NOT NULL REFERENCES crosswalk(id) ON DELETE CASCADE,"
    "  from_area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE RESTRICT,"
    "  to_area_id INTEGER NOT NULL REFERENCES area(id) ON DELETE RESTRICT,"
    "  weight REAL NOT NULL CHECK (weight >= 0),"
    "  implied INTEGER NOT NULL DEFAULT 0 CHECK (implied IN (0,1)),"
    "  PRIMARY KEY (crosswalk_id, from_area_id, to_area_id)) STRICT, WITHOUT ROWID;"
    "CREATE INDEX crosswalk_pair_from ON crosswalk_pair(from_area_id);"
    "CREATE INDEX crosswalk_pair_to ON crosswalk_pair(to_area_id);",
};

#define WB_NMIGRATIONS ((int)(sizeof wb_migrations / sizeof wb_migrations[0]))

#endif
