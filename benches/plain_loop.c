/* The baseline of benches/dashboard.sh: what the cheapest top-like tool must do each refresh.
 * Every INTERVAL seconds (argv[1], default 1) it lists /proc and opens, reads and closes
 * /proc/PID/stat and /proc/PID/statm of every process, into one buffer, and draws nothing.
 * Plain C with read(2), so that the baseline is not made slower by any library:
 * cc -O2 -o plain_loop benches/plain_loop.c */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static char buf[4096];

static void read_file(const char *pid, const char *name) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/%s", pid, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  while (read(fd, buf, sizeof buf) > 0) {
  }
  close(fd);
}

int main(int argc, char **argv) {
  double interval = argc > 1 ? atof(argv[1]) : 1.0;
  struct timespec nap = {(time_t)interval, (long)((interval - (time_t)interval) * 1e9)};
  for (;;) {
    DIR *d = opendir("/proc");
    if (!d) return 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
      read_file(e->d_name, "stat");
      read_file(e->d_name, "statm");
    }
    closedir(d);
    nanosleep(&nap, NULL);
  }
}
