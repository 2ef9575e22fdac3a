# Independent reference for wijkbeeld's segregation indices (tests/stats/segregation.c).
#
# Reads the CBS SES-WOA 2019 Amsterdam file (shared data, never copied into the repo) and
# computes, in plain base R and with formulas written differently from src/stats/segregation.c:
#   units   = buurten (BU codes) with households > 0 and all three education shares present
#   counts  = households x share / 100 (education low / middle / high)
#   E       = -sum pi ln pi;  M = E - sum_j (t_j/T) E_j  (Mora & Ruiz-Castillo 2011)
#   H       = M / E;  D = sum_m sum_j t_j |p_jm - pi_m| / (2 T I)  (Reardon & Firebaugh 2002)
#   M_between = M of the wijk table (buurt counts summed per WK code = first 8 chars);
#   M_within  = sum_s (T_s / T) M_s, each M_s computed on its own (not as M - M_between)
#   xPy     = sum_j (t_jx / T_x)(t_jy / t_j)
# Usage: Rscript tests/reference/segregation.R [path] > tests/data/segregation/amsterdam_2019.csv
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args)) args[1] else "../shared/data/ses_woa_cbs/ses_woa_2019_amsterdam_wijk_buurt.csv"
raw <- read.table(path, sep = ";", quote = "\"", header = TRUE, colClasses = "character",
                  fileEncoding = "UTF-8-BOM", check.names = FALSE)
num <- function(x) { x <- trimws(x); x[x == "."] <- NA; as.numeric(x) }
code <- trimws(raw[[3]])
hh <- num(raw[[4]]); shares <- cbind(num(raw[[5]]), num(raw[[6]]), num(raw[[7]]))
bu <- substr(code, 1, 2) == "BU"
use <- bu & !is.na(hh) & hh > 0 & rowSums(is.na(shares)) == 0
t <- hh[use] * shares[use, , drop = FALSE] / 100
wijk <- paste0("WK", substr(code[use], 3, 8))

ent <- function(p) { p <- p[p > 0]; -sum(p * log(p)) }
mutual <- function(t) {
  T <- sum(t); tj <- rowSums(t)
  ent(colSums(t) / T) - sum(tj / T * apply(t, 1, function(r) ent(r / sum(r))))
}
T <- sum(t); Tm <- colSums(t); pi <- Tm / T; tj <- rowSums(t)
E <- ent(pi); M <- mutual(t); I <- sum(pi * (1 - pi))
D <- sum(abs(t / tj - matrix(pi, nrow(t), 3, byrow = TRUE)) * tj) / (2 * T * I)
agg <- rowsum(t, wijk)
Mb <- mutual(agg)
Mw <- sum(sapply(split(seq_len(nrow(t)), wijk), function(i) {
  s <- t[i, , drop = FALSE]; sum(s) / T * mutual(s) }))
P <- function(x, y) sum(t[, x] / Tm[x] * t[, y] / tj)
out <- c(D = D, H = M / E, M = M, M_between = Mb, M_within = Mw, entropy = E, population = T,
         xPx_laag = P(1, 1), xPx_mid = P(2, 2), xPx_hoog = P(3, 3),
         xPy_laag_hoog = P(1, 3), xPy_hoog_laag = P(3, 1),
         units = nrow(t), wijken = nrow(agg),
         empty = sum(bu & !is.na(hh) & hh == 0), missing = sum(bu & !use & !(hh == 0 & !is.na(hh))))
cat("stat,value\n")
cat(sprintf("%s,%.17g\n", names(out), out), sep = "")
