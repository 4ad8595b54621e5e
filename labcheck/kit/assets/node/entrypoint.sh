#!/bin/sh
# Starts the node's own dockerd. The container is not privileged, so /sys and the cgroup v1
# hierarchies arrive read-only; dockerd and runc need to write there.
set -u

mount -o remount,rw /sys 2>/dev/null || mount -o remount,bind,rw /sys 2>/dev/null || true
mount -o remount,rw /sys/fs/cgroup 2>/dev/null || true
for dir in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts); do
  mount -o remount,bind,rw "$dir" 2>/dev/null || true
done

# The kit's git mirrors belong to whoever brought the kit up (a user's own kit: that user, not
# this node's root), and git refuses to clone from a repository another user owns (git 2.39.5
# heeds only system or global config for that): trust exactly those repositories.
if [ -d /opt/labcheck-git ]; then
  find /opt/labcheck-git -type d -name '*.git' -prune | while read -r repo; do
    printf '[safe]\n\tdirectory = %s\n' "$repo" >> /etc/gitconfig
  done
fi

host_dir=${LABCHECK_HOST_SOCKET_DIR:-/run/labcheck-host}
mkdir -p "$host_dir"
rm -f "$host_dir/docker.sock" /var/run/docker.pid

set -- --host unix:///var/run/docker.sock --host "unix://$host_dir/docker.sock" \
  --storage-driver overlay2 "$@"
# The registry the node pulls Docker Hub's images from: host:port (plain HTTP) or a URL.
case "${LABCHECK_REGISTRY_MIRROR:-}" in
  "") ;;
  https://*) set -- "$@" --registry-mirror "$LABCHECK_REGISTRY_MIRROR" ;;
  *) mirror=${LABCHECK_REGISTRY_MIRROR#http://}
     set -- "$@" --registry-mirror "http://$mirror" --insecure-registry "$mirror" ;;
esac
# The sockets' group: the host's docker group (a number, as the node has no such name), so the
# users who may drive the host engine may drive the node's.
if [ -n "${LABCHECK_SOCKET_GROUP:-}" ]; then
  set -- "$@" --group "$LABCHECK_SOCKET_GROUP"
fi
exec dockerd "$@"
