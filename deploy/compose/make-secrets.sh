#!/bin/sh
# Makes the files docker-compose.secure.yml mounts as Compose secrets, in ${SLUICE_SECRETS:-./secrets}:
#
#   cluster-secret, stream-token-secret   32 random bytes, base64
#   ca.crt (+ ca.key)                     a local CA, valid 1 year
#   tls.crt, tls.key                      the gateway's certificate (EC P-256, PKCS#8 key) for gateway, localhost and
#                                         127.0.0.1, signed by the local CA, valid 90 days
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
if [ ! -f tls.crt ]; then
    printf 'subjectAltName=DNS:gateway,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > tls.ext
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=gateway -keyout tls.key -out tls.csr \
        2>/dev/null
    openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 90 -extfile tls.ext -out tls.crt \
        2>/dev/null
    rm -f tls.csr tls.ext ca.srl
fi

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

chmod 644 cluster-secret stream-token-secret ca.crt tls.crt tls.key users
chmod 600 ca.key
[ ! -f admin-password ] || chmod 600 admin-password
echo "secrets in $dir; the super user is admin$( [ -f admin-password ] && echo ", its password in $dir/admin-password")"
