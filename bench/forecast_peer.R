# bench/forecast_peer.R -- the R peer of bench/forecast.c: Hyndman's
# forecast package (Debian r-cran-forecast) on the same windows.
# Usage:
#   Rscript bench/forecast_peer.R taylor OUT      # forecast::taylor, half-hourly
#                                                 # summed per hour, one value a line
#   Rscript bench/forecast_peer.R forecast WINDOWS OUT
# WINDOWS: one window a line, "id ets v1 v2 ... vn" (NA for gaps), hourly;
# ets = 1: also run ets (seasonal ets with m = 24 takes ~9 s a window, so
# the bench asks for it on the real series only).
# OUT: "id,method,h,mean,lo80,hi80,lo95,hi95,secs" with method 0 = stlf,
# 1 = stlf on msts(24, 168) (mstl + ETS), 2 = ets; secs = that call's
# elapsed time (repeated on every h). Gaps are filled by na.interp first,
# as these functions do not take NA. Runs on 2 cores (mclapply); times are
# per call, so they do not depend on the number of cores.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "taylor") {
    x <- as.numeric(taylor)
    h <- x[seq(1, length(x) - 1, 2)] + x[seq(2, length(x), 2)]
    writeLines(format(h, digits = 10, trim = TRUE), args[2])
    quit(status = 0)
}
lines <- readLines(args[2])
H <- 48
one <- function(line) {
    p <- strsplit(line, " ", fixed = TRUE)[[1]]
    id <- as.integer(p[1])
    do_ets <- p[2] == "1"
    v <- suppressWarnings(as.numeric(p[-(1:2)]))
    y <- na.interp(ts(v, frequency = 24))
    res <- list()
    fit <- function(k, expr) {
        t0 <- proc.time()[["elapsed"]]
        fc <- tryCatch(expr(), error = function(e) NULL)
        secs <- proc.time()[["elapsed"]] - t0
        if (is.null(fc)) return(NULL)
        data.frame(id = id, method = k, h = 1:H, mean = as.numeric(fc$mean),
                   lo80 = as.numeric(fc$lower[, 1]), hi80 = as.numeric(fc$upper[, 1]),
                   lo95 = as.numeric(fc$lower[, 2]), hi95 = as.numeric(fc$upper[, 2]), secs = secs)
    }
    res[[1]] <- fit(0, function() stlf(y, h = H, level = c(80, 95)))
    res[[2]] <- fit(1, function() stlf(msts(as.numeric(y), seasonal.periods = c(24, 168)), h = H,
                                       level = c(80, 95)))
    if (do_ets)
        res[[3]] <- fit(2, function() forecast(ets(y), h = H, level = c(80, 95)))
    do.call(rbind, res)
}
out <- parallel::mclapply(lines, one, mc.cores = 2, mc.preschedule = FALSE)
out <- do.call(rbind, out)
write.table(format(out, digits = 10, trim = TRUE), args[3], sep = ",", quote = FALSE,
            row.names = FALSE, col.names = FALSE)
