#!/bin/bash
# htop_tasks.sh SOCKET [KERNEL_PROC_DIR]
#
# Runs htop in a detached tmux session (tmux -S SOCKET, a socket path;
# 200x50), waits for its header, lets it rescan, pauses its process
# updates (its key Z) and prints the header's task line, with the counts
# that htop's rules give for the /proc it reads, taken before it rescans
# and after the screen is captured:
#
#   counts ours P T K       over /proc (before)
#   counts kernel P T K     over KERNEL_PROC_DIR, when given (a proc mounted
#                           there by this script, in the caller's private
#                           mount namespace, so it goes with the namespace)
#   tasks <htop's "Tasks: ..." text>
#   counts ours P T K       (after)
#   counts kernel P T K     (after)
#   cpus N                  the online cpus (htop caps "running" at them)
#
# htop 3.2's rules (linux/LinuxProcessList.c): a task whose stat flags
# have PF_KTHREAD is a kernel thread (K); any other task/<tid> with tid !=
# its pid is a userland thread (T); P counts the other processes.  The
# counting and the waiting are bash builtins (the wait a read with a
# timeout from a fifo no one writes), so while htop rescans the processes
# it can see are the ones counted: this script, tmux's server and htop.
# Only the tmux client sending the pause key lives at the same time as
# htop's scans; a scan that saw it counts one more process (the caller
# runs this again).  On every exit the tmux server is killed by its
# socket, and the script waits for it and htop (by pid) to be gone before
# it removes the socket: proclua-run unmounts when this script exits.
set -u
sock=$1
kernel=${2-}
fifo=$sock.fifo

pids=
finish() {
	tmux -S "$sock" kill-server 2>/dev/null
	local pid
	for pid in $pids; do
		for _ in $(seq 100); do
			kill -0 "$pid" 2>/dev/null || break
			pause 0.05 || sleep 0.05
		done
	done
	rm -f "$sock" "$fifo"
}
trap finish EXIT
trap 'exit 1' INT TERM HUP

if [ -n "$kernel" ]; then
	mount -t proc proc "$kernel" || exit 1
fi
mkfifo "$fifo" && exec 9<>"$fifo" || exit 1
# a wait that is no process: a read from the fifo, timing out
pause() { read -r -t "$1" -u 9 _; [ $? -gt 128 ]; }

count() {
	local what=$1 dir=$2 p=0 t=0 k=0 d s td
	for d in "$dir"/[0-9]*; do
		{ read -r s <"$d/stat"; } 2>/dev/null || continue
		# field 9, flags: the 7th word after the comm's closing ") "
		set -- ${s##*) }
		[ "$#" -ge 7 ] || continue
		if [ $(($7 & 0x200000)) -ne 0 ]; then
			k=$((k + 1))
			continue
		fi
		p=$((p + 1))
		for td in "$d"/task/[0-9]*; do
			[ -e "$td" ] || continue
			[ "${td##*/}" = "${d##*/}" ] || t=$((t + 1))
		done
	done
	echo "counts $what $p $t $k"
}

counts() {
	count ours /proc
	[ -z "$kernel" ] || count kernel "$kernel"
}

header() {
	tmux -S "$sock" capture-pane -p | grep -o 'Tasks: [0-9]*, [0-9]* thr.*running'
}

# htop rescans every 0.5 s (-d 5); HOME with no htoprc: its defaults
tmux -S "$sock" new-session -d -x 200 -y 50 \
	"exec env -i TERM=xterm PATH=/usr/bin:/bin HOME=/nonexistent LC_ALL=C htop -d 5" || exit 1
pids=$(tmux -S "$sock" display-message -p '#{pid} #{pane_pid}') || exit 1
line=
for _ in $(seq 100); do
	line=$(header) && break
	pause 0.1
done
[ -n "$line" ] || { echo "no htop header" >&2; tmux -S "$sock" capture-pane -p >&2; exit 1; }
counts
pause 1.2
tmux -S "$sock" send-keys Z
pause 0.3
echo "tasks $(header)"
counts
echo "cpus $(getconf _NPROCESSORS_ONLN)"
