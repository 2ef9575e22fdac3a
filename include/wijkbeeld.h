/**
 * @file
 * @brief wijkbeeld — the umbrella header of the public API.
 *
 * wijkbeeld shows how Dutch neighbourhoods are doing: it imports CBS and Leefbaarometer
 * data into one SQLite store, computes livability scores, trends and spatial statistics,
 * and serves them to a dashboard. The library never prints, exits or reads the
 * environment; see errors.h for how failures are reported.
 */
#ifndef WIJKBEELD_H
#define WIJKBEELD_H

#include "wijkbeeld/errors.h"
#include "wijkbeeld/core.h"
#include "wijkbeeld/geo.h"
#include "wijkbeeld/store.h"
/* one line per module header, alphabetical, so parallel branches merge cleanly */
#include "wijkbeeld/collab.h"
#include "wijkbeeld/compare.h"
#include "wijkbeeld/crosswalk.h"
#include "wijkbeeld/crosswalkio.h"
#include "wijkbeeld/demo.h"
#include "wijkbeeld/effort.h"
#include "wijkbeeld/geoio.h"
#include "wijkbeeld/io.h"
#include "wijkbeeld/overlay.h"
#include "wijkbeeld/panel.h"
#include "wijkbeeld/score.h"
#include "wijkbeeld/segregation.h"
#include "wijkbeeld/spatial.h"
#include "wijkbeeld/trend.h"
#include "wijkbeeld/web.h"

#endif
