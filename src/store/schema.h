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
};

#define WB_NMIGRATIONS ((int)(sizeof wb_migrations / sizeof wb_migrations[0]))

#endif
