#!/bin/sh
# Run once by the postgres image when the primary's data directory is created
# (/docker-entrypoint-initdb.d/): a role for streaming replication, and the replica's right to
# connect for it. The replica (compose service db-replica) copies the primary with
# pg_basebackup as this role and then follows its WAL stream (read-only, hot standby).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${KMGOV_REPLICATION_PASSWORD}';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
