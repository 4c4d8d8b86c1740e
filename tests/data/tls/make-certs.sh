#!/bin/sh
# Regenerates the TLS fixtures of the ServeWatch tests (run it from anywhere; it writes next to
# itself). The outputs are committed: tests never run this script, they load the files.
#
#   ca.pem / ca.key                 test CA ("ServeWatch Test CA"), valid 2019..2124
#   server.pem / server.key         CA-signed; SAN DNS:localhost, DNS:*.sw.test, DNS:sw.test,
#                                   IP:127.0.0.1, IP:::1; valid 2024..2124
#   wronghost.pem / wronghost.key   CA-signed; SAN DNS:wrong.example only
#   expired.pem / expired.key       CA-signed; SAN as server; valid 2020-01-01..2021-01-01
#   selfsigned.pem / selfsigned.key self-signed leaf; SAN DNS:localhost, IP:127.0.0.1
#   client.pem / client.key         CA-signed client certificate (extendedKeyUsage clientAuth)
#   other-ca.pem / other-ca.key     an unrelated CA, for "wrong CA" cases
#
# Validity is 2019/2024..2124 ("about 100 years"), fixed dates rather than "now".
# Keys: RSA 2048, unencrypted PEM (PKCS#8). Needs the openssl command line (1.1.1 or 3.x).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

cat > "$work/openssl.cnf" <<'CNF'
[ ca ]
default_ca = test_ca

[ test_ca ]
dir              = .
database         = ./index.txt
new_certs_dir    = ./newcerts
serial           = ./serial
default_md       = sha256
policy           = policy_anything
unique_subject   = no
email_in_dn      = no
copy_extensions  = none

[ policy_anything ]
commonName       = supplied
organizationName = optional

[ req ]
distinguished_name = req_dn
prompt             = no

[ req_dn ]
CN = placeholder

[ v3_ca ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash

[ v3_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = DNS:localhost, DNS:*.sw.test, DNS:sw.test, IP:127.0.0.1, IP:::1

[ v3_wronghost ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid
subjectAltName         = DNS:wrong.example

[ v3_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid

[ v3_selfsigned ]
basicConstraints       = critical, CA:FALSE
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
subjectAltName         = DNS:localhost, IP:127.0.0.1
CNF

cd "$work"
mkdir newcerts
: > index.txt
echo 1000 > serial

key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2> /dev/null; }

# selfsigned NAME CN EXTENSIONS START END: made with "openssl ca -selfsign" rather than
# "openssl req -x509", so that the validity can start in the past (the CAs cover the expired
# certificate's period too, and no certificate is "not yet valid" on a machine whose clock lags).
selfsigned() {
    key "$1.key"
    openssl req -config openssl.cnf -new -key "$1.key" -subj "/O=ServeWatch tests/CN=$2" -out "$1.csr"
    openssl ca -config openssl.cnf -batch -notext -selfsign -keyfile "$1.key" -in "$1.csr" \
        -out "$1.pem" -extensions "$3" -startdate "$4" -enddate "$5" 2> /dev/null
}

# leaf NAME CN EXTENSIONS START END: a certificate signed by ca.pem.
leaf() {
    key "$1.key"
    openssl req -config openssl.cnf -new -key "$1.key" -subj "/O=ServeWatch tests/CN=$2" -out "$1.csr"
    openssl ca -config openssl.cnf -batch -notext -cert ca.pem -keyfile ca.key -in "$1.csr" \
        -out "$1.pem" -extensions "$3" -startdate "$4" -enddate "$5" 2> /dev/null
}

selfsigned ca "ServeWatch Test CA" v3_ca 20190101000000Z 21240101000000Z
selfsigned other-ca "ServeWatch Other CA" v3_ca 20190101000000Z 21240101000000Z
leaf server localhost v3_server 20240101000000Z 21240101000000Z
leaf wronghost wrong.example v3_wronghost 20240101000000Z 21240101000000Z
leaf expired localhost v3_server 20200101000000Z 20210101000000Z
leaf client servewatch-test-client v3_client 20240101000000Z 21240101000000Z
selfsigned selfsigned localhost v3_selfsigned 20240101000000Z 21240101000000Z

# Sanity checks: fail loudly rather than commit a broken set.
openssl verify -CAfile ca.pem server.pem wronghost.pem client.pem > /dev/null
if openssl verify -CAfile ca.pem expired.pem > /dev/null 2>&1; then
    echo "expired.pem verifies: it should not" >&2
    exit 1
fi

for f in ca other-ca server wronghost expired client selfsigned; do
    cp "$f.pem" "$here/$f.pem"
    cp "$f.key" "$here/$f.key"
    chmod 644 "$here/$f.pem" "$here/$f.key"
done
echo "wrote fixtures to $here"
