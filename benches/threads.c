/* A process of N threads that all sleep, for benches/threads.sh (threads shown with `H`).
 * `threads N` starts N - 1 threads besides the main one, names each `bx-sleep-I` with
 * pthread_setname_np (what /proc/PID/task/TID/comm then says), and every thread, the main
 * one too, sleeps in pause(2) until the process is killed. Small stacks (64 KiB), so that
 * 1,000 of these cost the machine little memory:
 * cc -O2 -pthread -o threads benches/threads.c */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *sleeper(void *arg) {
  (void)arg;
  for (;;) pause();
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 16;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  for (int i = 1; i < n; i++) {
    pthread_t t;
    if (pthread_create(&t, &attr, sleeper, NULL) != 0) {
      perror("pthread_create");
      return 1;
    }
    char name[16];
    snprintf(name, sizeof name, "bx-sleep-%d", i);
    pthread_setname_np(t, name);
  }
  for (;;) pause();
}
