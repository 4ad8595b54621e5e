#!/bin/sh
# Starts the node's own dockerd. The container is not privileged, so /sys and the cgroup v1
# hierarchies arrive read-only; dockerd and runc need to write there.
set -u

mount -o remount,rw /sys 2>/dev/null || mount -o remount,bind,rw /sys 2>/dev/null || true
mount -o remount,rw /sys/fs/cgroup 2>/dev/null || true
for dir in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts); do
  mount -o remount,bind,rw "$dir" 2>/dev/null || true
done

host_dir=${LABCHECK_HOST_SOCKET_DIR:-/run/labcheck-host}
mkdir -p "$host_dir"
rm -f "$host_dir/docker.sock" /var/run/docker.pid

set -- --host unix:///var/run/docker.sock --host "unix://$host_dir/docker.sock" \
  --storage-driver overlay2 "$@"
if [ -n "${LABCHECK_REGISTRY_MIRROR:-}" ]; then
  set -- "$@" --registry-mirror "http://$LABCHECK_REGISTRY_MIRROR" \
    --insecure-registry "$LABCHECK_REGISTRY_MIRROR"
fi
exec dockerd "$@"
