// The floor for CPU per HTTP probe on this machine: a minimal C loop that, for each probe, opens
// a fresh TCP connection, sends a minimal HTTP/1.1 GET (Connection: close), reads until the
// server closes, checks for a 2xx status and closes. Optionally paced at a fixed rate (absolute
// deadlines, so one slow probe does not shift the schedule). No DNS, no TLS, no parsing beyond
// the status line: nothing a real monitor could leave out.
//
// Usage: c_floor IPV4 PORT PATH COUNT [RATE_PER_S]   (RATE 0 or absent: as fast as possible)
// Prints one line: probes=N ok=N failed=N cpu_us=N wall_s=S   (CPU from getrusage, this process)
// Built by bench/cpu-per-probe.sh with gcc -O2; loopback only.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int probe_once(const struct sockaddr_in *addr, const char *request, size_t request_len)
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int ok = 0;
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0) {
        size_t sent = 0;
        while (sent < request_len) {
            const ssize_t n = send(fd, request + sent, request_len - sent, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            sent += (size_t)n;
        }
        if (sent == request_len) {
            char buf[4096];
            char head[16] = { 0 };
            size_t got = 0;
            for (;;) {
                const ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0)
                    break;
                for (ssize_t i = 0; i < n && got < sizeof head - 1; ++i)
                    head[got++] = buf[i];
            }
            // "HTTP/1.x 2"
            ok = got >= 10 && memcmp(head, "HTTP/1.", 7) == 0 && head[9] == '2';
        }
    }
    close(fd);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s IPV4 PORT PATH COUNT [RATE_PER_S]\n", argv[0]);
        return 64;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
        fprintf(stderr, "c_floor: not an IPv4 address: %s\n", argv[1]);
        return 64;
    }
    const long count = atol(argv[4]);
    const double rate = argc > 5 ? atof(argv[5]) : 0;
    char request[1024];
    const int len = snprintf(request,
        sizeof request,
        "GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n",
        argv[3],
        argv[1],
        argv[2]);
    if (len <= 0 || (size_t)len >= sizeof request) {
        fprintf(stderr, "c_floor: path too long\n");
        return 64;
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long ok = 0;
    for (long i = 0; i < count; ++i) {
        if (rate > 0) {
            const double at = (double)i / rate;
            struct timespec due = start;
            due.tv_sec += (time_t)at;
            due.tv_nsec += (long)((at - (double)(time_t)at) * 1e9);
            if (due.tv_nsec >= 1000000000L) {
                due.tv_sec += 1;
                due.tv_nsec -= 1000000000L;
            }
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) == EINTR) { }
        }
        ok += probe_once(&addr, request, (size_t)len);
    }
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    const long long cpu_us = (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec
        + (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
    printf("probes=%ld ok=%ld failed=%ld cpu_us=%lld wall_s=%.3f\n",
        count,
        ok,
        count - ok,
        cpu_us,
        (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    return ok == count ? 0 : 1;
}
