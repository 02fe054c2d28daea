#!/usr/bin/env bash
# The secret files of deploy/compose.yaml's local fleet, for that fleet only:
#   - random: the HS256 secret of callers' tokens, and Redis's password;
#   - the back ends': the sandboxes' development credentials (sandboxes/common/credentials.py),
#     the only ones the sandboxes accept and that open nothing but them.
# Never a real deployment's secrets: those come from its secret store (docs/deployment.md).
#
#   deploy/make-secrets.sh [--force] [DIR]
#
# DIR defaults to deploy/secrets (git-ignored). A file already there is kept (a running Redis
# keeps its password), unless --force. The directory is private to you; the files in it are
# readable by all, as the containers' non-root users read them through bind mounts.
set -euo pipefail

force=0
if [ "${1:-}" = "--force" ]; then
    force=1
    shift
fi
dir="${1:-$(cd "$(dirname "$0")" && pwd)/secrets}"
mkdir -p "$dir"
chmod 0700 "$dir"

random() {
    # 32 random bytes, as 64 hexadecimal digits.
    od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

write() {
    local name="$1" value="$2"
    if [ -s "$dir/$name" ] && [ "$force" -eq 0 ]; then
        echo "kept    $dir/$name"
        return
    fi
    printf '%s\n' "$value" > "$dir/$name"
    chmod 0644 "$dir/$name"
    echo "written $dir/$name"
}

write gateway_jwt_secret "$(random)"
write redis_password "$(random)"
write clubmed_client_secret "sandbox-client-secret"
write clubmed_api_key "202601010000.sandbox.clubmed.com"
write carecloud_password "Sandbox-Passw0rd"
write relay_api_key "sandbox-relay-api-key"
