#!/usr/bin/env bash
# Bring up a one-node Slurm cluster on this machine, for the Slurm
# integration test (make test-slurm; docs/cluster.md).
#
# Installs Debian's slurm-wlm and munge, writes /etc/slurm/slurm.conf for a
# single node (this host, all its CPUs and memory), starts munged, slurmctld
# and slurmd as plain background daemons (no systemd) and waits until the
# node is idle. Safe to run again: whatever is already installed, written
# or running is kept; a changed slurm.conf restarts the Slurm daemons.
#
# Needs root. Made for machines without systemd and, often, without a
# writable cgroup tree (containers, micro-VMs): the configuration uses no
# cgroup plugin at all (proctrack/linuxproc, task/none, no accounting
# gathering), so slurmd never touches /sys/fs/cgroup.
#
# Environment: SLURM_SETUP_TIMEOUT (seconds to wait for the node, 60).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/usr/sbin:/sbin"
timeout_s=${SLURM_SETUP_TIMEOUT:-60}
conf_dir=/etc/slurm
conf=$conf_dir/slurm.conf
state=/var/spool/journeysim-slurm
log_dir=/var/log/journeysim-slurm
node=$(hostname -s)

say() { printf 'slurm setup: %s\n' "$*" >&2; }

dump_logs() {
	local f
	for f in "$log_dir"/slurmctld.log "$log_dir"/slurmd.log "$log_dir"/munged.log /var/log/munge/munged.log; do
		[ -f "$f" ] || continue
		printf '\n===== %s (last 40 lines) =====\n' "$f" >&2
		tail -n 40 "$f" >&2 || true
	done
	if command -v sinfo >/dev/null; then
		printf '\n===== sinfo -N -l =====\n' >&2
		timeout 10 sinfo -N -l >&2 || true
	fi
}

die() {
	say "error: $*"
	dump_logs
	exit 1
}

[ "$(id -u)" = 0 ] || { say "error: must run as root (it installs packages and starts daemons)"; exit 1; }

# ---- 1. packages -----------------------------------------------------------
need=()
for cmd in slurmctld slurmd sbatch munged; do
	command -v "$cmd" >/dev/null || need=(slurm-wlm munge)
done
if [ ${#need[@]} -gt 0 ]; then
	say "installing ${need[*]} (apt-get)"
	start=$(date +%s)
	# A fresh machine may have no package lists yet; an old list may name
	# versions the mirror no longer has. Update once and retry on failure.
	if ! apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/journeysim-slurm-apt.log 2>&1; then
		apt-get update -q >>/tmp/journeysim-slurm-apt.log 2>&1 || true
		apt-get install -y -q --no-install-recommends "${need[@]}" >>/tmp/journeysim-slurm-apt.log 2>&1 ||
			{ tail -n 30 /tmp/journeysim-slurm-apt.log >&2; die "apt-get install ${need[*]} failed (log: /tmp/journeysim-slurm-apt.log)"; }
	fi
	say "installed in $(($(date +%s) - start)) s"
fi

# ---- 2. munge --------------------------------------------------------------
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
	say "creating /etc/munge/munge.key"
	if command -v mungekey >/dev/null; then
		mungekey --create --keyfile=/etc/munge/munge.key --force
	else
		dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
	fi
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key

munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
	if [ -S /run/munge/munge.socket.2 ] && ! pgrep -x munged >/dev/null; then
		rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
	fi
	say "starting munged"
	runuser -u munge -- /usr/sbin/munged --force ||
		die "munged did not start"
	for _ in $(seq 1 50); do munge_ok && break; sleep 0.2; done
	munge_ok || die "munged is not answering (munge -n | unmunge fails)"
fi

# ---- 3. slurm.conf ---------------------------------------------------------
# The node's size as slurmd itself sees it, so that the node is not drained
# for "Low RealMemory" or a CPU count it cannot find.
hw=$(slurmd -C 2>/dev/null | head -n 1 || true)
field() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$hw"; }
cpus=$(field CPUs)
mem=$(field RealMemory)
[ -n "$cpus" ] || cpus=$(nproc)
[ -n "$mem" ] || mem=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
# Leave some memory aside: what slurmd reads varies a little between starts.
mem=$((mem * 95 / 100))

mkdir -p "$conf_dir" "$state/ctld" "$state/d" "$log_dir"
new=$(mktemp)
trap 'rm -f "$new"' EXIT
cat >"$new" <<EOF
# Written by journeysim's testdata/slurm/setup.sh: a one-node test cluster.
ClusterName=journeysim
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
# No cgroups: they are missing or read-only in containers and micro-VMs.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
MinJobAge=300
KillWait=10
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

changed=0
if ! cmp -s "$new" "$conf"; then
	say "writing $conf ($cpus CPUs, $mem MB)"
	install -m 0644 "$new" "$conf"
	changed=1
fi

# ---- 4. daemons ------------------------------------------------------------
running() { # running NAME PIDFILE
	local pid
	pid=$(cat "$2" 2>/dev/null) || return 1
	[ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$1" ]
}
stop() { # stop NAME PIDFILE
	local pid
	running "$1" "$2" || return 0
	pid=$(cat "$2")
	say "stopping $1 ($pid): slurm.conf changed"
	kill "$pid"
	for _ in $(seq 1 50); do [ -d /proc/"$pid" ] || return 0; sleep 0.2; done
	kill -9 "$pid" 2>/dev/null || true
}
if [ $changed = 1 ]; then
	stop slurmd "$state/slurmd.pid"
	stop slurmctld "$state/slurmctld.pid"
fi
if ! running slurmctld "$state/slurmctld.pid"; then
	say "starting slurmctld"
	slurmctld || die "slurmctld did not start"
fi
if ! running slurmd "$state/slurmd.pid"; then
	say "starting slurmd"
	slurmd || die "slurmd did not start"
fi

# ---- 5. wait for the node --------------------------------------------------
deadline=$(($(date +%s) + timeout_s))
resumed=0
while :; do
	st=$(timeout 10 sinfo -h -N -n "$node" -o %t 2>/dev/null | head -n 1 || true)
	case $st in
	idle | mix | alloc | comp) break ;;
	down | drain | drng | fail | failg | inval)
		# Down from an earlier run (ReturnToService=2 covers most cases).
		if [ $resumed = 0 ]; then
			say "node $node is $st; resuming it"
			scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true
			resumed=1
		fi
		;;
	esac
	if [ "$(date +%s)" -ge "$deadline" ]; then
		running slurmctld "$state/slurmctld.pid" || say "slurmctld is not running"
		running slurmd "$state/slurmd.pid" || say "slurmd is not running"
		die "node $node not idle after ${timeout_s} s (state: ${st:-no answer from slurmctld})"
	fi
	sleep 1
done
say "node $node is $st: Slurm is up (sinfo, srun, sbatch work)"
