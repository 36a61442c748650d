#!/usr/bin/env bash
# Takes the README's screenshots from the real program on this machine:
# boxtop runs in a 160x45 tmux window, keys are sent as a person would type them, the pane is
# captured with its colours (capture-pane -e), turned into HTML by aha and photographed by
# headless Chromium. Needs: tmux, aha, chromium, fonts-wqy-zenhei (Debian packages), and root for the
# unshared process. Run from the repository: bash screenshots/take.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/boxtop
out=$PWD/screenshots
sock=boxtop-shots-$$
tmp=$(mktemp -d)
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/boxtop-shots-$$"*
  # unshare --fork blocks SIGTERM while it waits, and the inner sleep is a pid namespace's
  # init (SIGTERM ignored): SIGKILL the inner one, unshare then exits with it.
  [ -n "${inner:-}" ] && kill -KILL "$inner" 2>/dev/null || true
  [ -n "${demo:-}" ] && wait "$demo" 2>/dev/null || true
  if [ -n "${lxc:-}" ]; then lxc-stop -k -n "$lxc" >/dev/null 2>&1 || true; lxc-destroy -n "$lxc" >/dev/null 2>&1 || true; fi
  [ -n "${pod:-}" ] && podman rm -f -t 0 "$pod" >/dev/null 2>&1 || true
  [ -n "${recorder:-}" ] && kill -TERM "$recorder" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# A process in new pid, net and uts namespaces, for the namespace picture.
unshare --fork --kill-child --pid --net --uts sleep 600 &
demo=$!
sleep 0.5
inner=$(pgrep -P "$demo" sleep)

# For the containers pane: an LXC container (busybox template, no network) and a podman
# container (runc, a busybox root), where the tools are installed.
containers() {
  if command -v lxc-create >/dev/null && command -v busybox >/dev/null; then
    lxc=demo
    lxc-create -q -t busybox -n "$lxc" >/dev/null 2>&1
    sed -i '/^lxc.net/d' "/var/lib/lxc/$lxc/config"
    echo "lxc.net.0.type = empty" >> "/var/lib/lxc/$lxc/config"
    lxc-start -n "$lxc" -d
  fi
  if command -v podman >/dev/null && command -v runc >/dev/null; then
    pod=web
    mkdir -p "$tmp/root/bin"
    cp "$(command -v busybox)" "$tmp/root/bin/"
    ln -sf busybox "$tmp/root/bin/sleep"
    podman --runtime runc run -d --name "$pod" --network none --ulimit nofile=1024:1024 \
      --ulimit nproc=1024:1024 --rootfs "$tmp/root" /bin/sleep 1000 >/dev/null
  fi
}

shot() { # name, keys... (bg=white for a light theme's picture)
  local name=$1; shift
  tmux -L "$sock" kill-server 2>/dev/null || true
  sock=boxtop-shots-$$-$name # a fresh server: one still shutting down would refuse us
  tmux -L "$sock" new-session -d -x 160 -y 45 -s shot "${run:-$bin}; sleep 30"
  sleep 2.5
  for k in "$@"; do
    case "$k" in
      sleep:*) sleep "${k#sleep:}" ;;
      *) tmux -L "$sock" send-keys -t shot "$k" ;;
    esac
    sleep 0.3
  done
  sleep 1.5
  tmux -L "$sock" capture-pane -e -p -t shot > "$tmp/$name.ansi"
  local black=--black
  [ "${bg:-}" = white ] && black=
  aha $black --title "boxtop" < "$tmp/$name.ansi" \
    | sed "s|<pre>|<pre style=\"font-family: ${font:-DejaVu Sans Mono}, monospace; font-size: 13px; line-height: 1.15; margin: 6px\">|" \
    > "$tmp/$name.html"
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/chrome" --hide-scrollbars --window-size=1340,790 \
    --screenshot="$out/$name.png" "file://$tmp/$name.html" 2>/dev/null
  echo "screenshots/$name.png"
}

# Every shot selects the unshared sleep first (filter to it, then clear the filter: the
# selection stays on it).
pick=("/" "pid:$inner" Enter Escape)
shot dashboard "${pick[@]}"
shot memory-map "${pick[@]}" "2" "z"
shot namespaces "${pick[@]}" "3" "z"
shot cgroups "${pick[@]}" "4" "z"
# An action: SIGCONT to the sleep (harmless) goes into the timeline; then n and Enter show the
# unshare window's plan, every step with its shell line, waiting for y (never pressed here).
shot actions "${pick[@]}" k Down Down Down Down Down Enter y sleep:1 n Enter
# The containers pane, the LXC container selected: its main process in the panes beside it.
containers
shot containers "5" sleep:1
# The timeline: the LXC container frozen and thawed while the dashboard runs (the freeze
# opens the pane by itself), then focused on the freeze, which marks the container's row.
if [ -n "${lxc:-}" ]; then
  (sleep 2; lxc-freeze -n "$lxc"; sleep 2; lxc-unfreeze -n "$lxc") &
  freezer=$!
  shot timeline "5" sleep:6 "6" "Down"
  wait "$freezer"
fi
# A replay: eight seconds of this host recorded with the LXC container frozen in the middle,
# shown at the freeze with the containers pane on screen and the time bar above.
if [ -n "${lxc:-}" ]; then
  "$bin" record --interval 0.5 --output "$tmp/rec" 2>/dev/null &
  recorder=$!
  sleep 3
  lxc-freeze -n "$lxc"
  sleep 3
  at=$(date +%s%3N)
  lxc-unfreeze -n "$lxc"
  sleep 2
  kill -TERM "$recorder" && wait "$recorder" || true
  recorder=
  run="$bin replay $tmp/rec --at $at" shot replay "5" "]" "[" sleep:0.5
fi
# The guided tour, in English on its cgroups step with the demo's child in a cgroup of its own
# (start, then move, each confirmed), and in Chinese on its namespaces step.
run="$bin tour --lang en" shot tour Right Right d sleep:1 y sleep:2 d sleep:1 y sleep:2
# (Chinese in a font whose CJK is exactly two cells wide: fonts-wqy-zenhei.)
run="$bin tour --lang zh" font="WenQuanYi Zen Hei Mono" shot tour-zh Right Right Right
# The light theme, for a light terminal (a config file of its own).
mkdir -p "$tmp/light/boxtop"
printf '[theme]\nname = "light"\n' > "$tmp/light/boxtop/config.toml"
run="env XDG_CONFIG_HOME=$tmp/light $bin" bg=white shot light "${pick[@]}"
