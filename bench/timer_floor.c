/* The floor for schedule lateness on this machine: a bare loop that sleeps to absolute
 * deadlines every PERIOD_MS (clock_nanosleep, CLOCK_MONOTONIC) for SECONDS and measures how late
 * it wakes. bench/scale.sh runs it beside the agent, so both see the same load.
 * Prints: "wakeups N p50 X p90 X p99 X p99.9 X max X" (milliseconds, exact nearest rank).
 *
 * timer_floor SECONDS [PERIOD_MS]   (default period 10 ms) */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double at(const double *v, long n, double p)
{
    long rank = (long)ceil(p * (double)n / 100.0);
    if (rank < 1)
        rank = 1;
    return v[rank - 1];
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: timer_floor SECONDS [PERIOD_MS]\n");
        return 64;
    }
    const double seconds = atof(argv[1]);
    const long periodNs = (argc > 2 ? atol(argv[2]) : 10) * 1000000L;
    const long n = (long)(seconds * 1e9 / (double)periodNs);
    if (n < 1 || periodNs <= 0) {
        fprintf(stderr, "timer_floor: bad arguments\n");
        return 64;
    }
    double *late = malloc(sizeof(double) * (size_t)n);
    if (!late)
        return 1;
    struct timespec due, now;
    clock_gettime(CLOCK_MONOTONIC, &due);
    for (long i = 0; i < n; ++i) {
        due.tv_nsec += periodNs;
        while (due.tv_nsec >= 1000000000L) {
            due.tv_nsec -= 1000000000L;
            ++due.tv_sec;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        late[i]
            = (double)(now.tv_sec - due.tv_sec) * 1e3 + (double)(now.tv_nsec - due.tv_nsec) / 1e6;
    }
    qsort(late, (size_t)n, sizeof(double), cmp);
    printf("wakeups %ld p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f\n",
        n,
        at(late, n, 50),
        at(late, n, 90),
        at(late, n, 99),
        at(late, n, 99.9),
        late[n - 1]);
    free(late);
    return 0;
}
