"""Django's PostgreSQL backend with deadlines for a database that stops answering.

Settings (portal/settings/base.py) give every connection a libpq `connect_timeout` and a
server-side `statement_timeout`; those cover a slow query, a lock wait and an unreachable host.
They do not cover a server that accepts the connection and then never answers (a frozen
machine, a stopped process, a network black hole): the client would wait forever, and with
gthread workers gunicorn's own timeout never fires. So this backend (ENGINE
"portal.core.postgres") also puts a client-side deadline on every round trip — queries,
commits, rollbacks, the health check of a reused connection — and a per-process circuit
breaker in front of the server. See `base.DatabaseWrapper`.
"""
