# Independent reference for 'crosswalk derive --level wijk --from-year 2014 --to-year 2016'
# (tests/cli/crosswalk_real.c): R's sf intersects the wijk polygons of 2014 and 2016 with GEOS
# (st_intersection) after st_make_valid (the "valid_structure" method sf uses by default) and
# classifies every wijk by the rules of docs/crosswalk.md, written here from that text:
#   a pair is a sliver when share_from < s and share_to < s; a from-area with 0 significant
#   pairs is unmatched, with >= 2 split; with 1 (to t): merged when t has >= 2 significant
#   sources, else unchanged (same code) or recoded (other code) when both shares >= 1 - tol,
#   else reshaped. A to-area: 0 significant sources unmatched, >= 2 merged, 1: its source's
#   class (split when the source split).
# Input: the polygons as wijkbeeld stores them (RD New, after its own TopoJSON decoding and
# reprojection), exported with 'export gpkg', so both tools start from the same coordinates
# (tests/reference/crosswalk/make_fixtures.sh makes them).
# Usage: Rscript wijk_sf.R wijk_2014.gpkg wijk_2016.gpkg OUTDIR
suppressMessages(library(sf))
args <- commandArgs(trailingOnly = TRUE)
a <- st_make_valid(st_read(args[1], quiet = TRUE))
b <- st_make_valid(st_read(args[2], quiet = TRUE))
out <- args[3]
a$afrom <- as.numeric(st_area(a))
b$ato <- as.numeric(st_area(b))
st_agr(a) <- "constant"
st_agr(b) <- "constant"
i <- st_intersection(a[, c("code", "afrom")], b[, c("code", "ato")])
w <- as.numeric(st_area(i))
d <- data.frame(from = i$code, to = i$code.1, w = w, afrom = i$afrom, ato = i$ato)
d <- d[d$w > 1e-6, ]
d$sf <- d$w / d$afrom
d$st <- d$w / d$ato
classes <- c("unchanged", "recoded", "reshaped", "split", "merged", "unmatched")
rows <- NULL
for (s in c(0.01, 0.1)) for (tol in c(0.01, 0.1)) {
  sig <- d[!(d$sf < s & d$st < s), ]
  nfrom <- table(factor(sig$from, levels = a$code))
  nto <- table(factor(sig$to, levels = b$code))
  cls_from <- sapply(a$code, function(f) {
    k <- nfrom[[f]]
    if (k == 0) return("unmatched")
    if (k >= 2) return("split")
    p <- sig[sig$from == f, ]
    if (nto[[p$to]] >= 2) return("merged")
    if (p$sf >= 1 - tol && p$st >= 1 - tol) return(if (p$to == f) "unchanged" else "recoded")
    "reshaped"
  })
  cls_to <- sapply(b$code, function(t) {
    k <- nto[[t]]
    if (k == 0) return("unmatched")
    if (k >= 2) return("merged")
    cls_from[[sig$from[sig$to == t]]]
  })
  for (side in c("from", "to")) {
    cl <- if (side == "from") cls_from else cls_to
    for (k in classes)
      rows <- rbind(rows, data.frame(sliver = s, tolerance = tol, side = side, class = k,
                                     n = sum(cl == k)))
  }
  rows <- rbind(rows, data.frame(sliver = s, tolerance = tol, side = "pairs", class = "sliver",
                                 n = sum(d$sf < s & d$st < s)))
}
rows <- rbind(rows, data.frame(sliver = NA, tolerance = NA, side = "pairs", class = "all", n = nrow(d)))
write.csv(rows, file.path(out, "wijk_2014_2016_sf_counts.csv"), row.names = FALSE, quote = FALSE, na = "")
# the pairs of Amsterdam's 2014 wijken (WK0363..), among them the stadsdeel WK036300
am <- d[substr(d$from, 1, 6) == "WK0363", ]
am <- am[order(am$from, am$to), ]
write.csv(data.frame(from_code = am$from, to_code = am$to, weight = sprintf("%.17g", am$w),
                     share_from = sprintf("%.17g", am$sf), share_to = sprintf("%.17g", am$st)),
          file.path(out, "wijk_2014_2016_sf_amsterdam.csv"), row.names = FALSE, quote = FALSE)
