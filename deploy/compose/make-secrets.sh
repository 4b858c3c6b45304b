#!/bin/sh
# Makes the files docker-compose.secure.yml mounts as Compose secrets, in ${SLUICE_SECRETS:-./secrets}:
#
#   cluster-secret, stream-token-secret   32 random bytes, base64
#   ca.crt (+ ca.key)                     a local CA, valid 1 year
#   tls.crt, tls.key                      the gateway's certificate (EC P-256, PKCS#8 key) for gateway, localhost and
#                                         127.0.0.1, signed by the local CA, valid 90 days
#   partition-N.crt, partition-N.key      the same for partition service N (1 to 3), for partition-N, localhost and
#                                         127.0.0.1: its Kafka listener's
#   users, admin-password                 the users file (name:bcrypt-hash) with the user admin and a random password
#
# Existing files are kept, so running it again changes nothing; delete a file to make it anew. Needs openssl, and
# htpasswd (apache2-utils) or Docker for the bcrypt hash. The directory is for your user only; the files in it are
# readable by all, because Compose bind-mounts them as they are and the services run as user 10001.
set -eu

dir=${SLUICE_SECRETS:-./secrets}
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"

random() {
    [ -f "$1" ] || openssl rand -base64 32 > "$1"
}
random cluster-secret
random stream-token-secret

if [ ! -f ca.crt ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=sluice-local-ca \
        -keyout ca.key -out ca.crt 2>/dev/null
fi
# certificate NAME FILE SANS: FILE.crt and FILE.key for NAME, signed by the local CA, unless FILE.crt exists.
certificate() {
    [ ! -f "$2.crt" ] || return 0
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$3" > "$2.ext"
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout "$2.key" -out "$2.csr" \
        2>/dev/null
    openssl x509 -req -in "$2.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 90 -extfile "$2.ext" -out "$2.crt" \
        2>/dev/null
    rm -f "$2.csr" "$2.ext" ca.srl
}
certificate gateway tls DNS:gateway,DNS:localhost,IP:127.0.0.1
for node in 1 2 3; do
    certificate "partition-$node" "partition-$node" "DNS:partition-$node,DNS:localhost,IP:127.0.0.1"
done

if [ ! -f users ]; then
    [ -f admin-password ] || openssl rand -base64 18 | tr -d '/+=' > admin-password
    password=$(cat admin-password)
    if command -v htpasswd >/dev/null; then
        htpasswd -nbB admin "$password" > users.new
    elif command -v docker >/dev/null; then
        docker run --rm httpd:2.4-alpine htpasswd -nbB admin "$password" > users.new
    else
        echo "$0: no htpasswd (apache2-utils) and no docker to hash the admin password; write $dir/users yourself" \
             "(name:bcrypt-hash lines, htpasswd -nbB)" >&2
        exit 1
    fi
    mv users.new users
fi

chmod 644 cluster-secret stream-token-secret ca.crt tls.crt tls.key partition-?.crt partition-?.key users
chmod 600 ca.key
[ ! -f admin-password ] || chmod 600 admin-password
echo "secrets in $dir; the super user is admin$( [ -f admin-password ] && echo ", its password in $dir/admin-password")"
