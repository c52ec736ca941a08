"""gunicorn settings for the portal: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

Every value can be overridden from the environment (GUNICORN_BIND, WEB_CONCURRENCY,
GUNICORN_THREADS, GUNICORN_WORKER_CONNECTIONS, GUNICORN_TIMEOUT, GUNICORN_LOG_LEVEL). Several app servers may
run this behind a load balancer: they share PostgreSQL (data and sessions),
Redis (the cache) and the media storage; nothing is kept in a worker's memory that
another server would need.

gthread workers keep heartbeating while their threads wait, so `timeout` never
ends a request stuck on a dependency: the application bounds those waits itself
(Redis socket timeouts, PostgreSQL deadlines, EMAIL_TIMEOUT; README "Operations").
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count() * 2 + 1)))
# Threads give keep-alive support and overlap database/Redis waits.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Connections a worker holds at once (gunicorn's default 1000). A keep-alive connection stays with
# the worker that accepted it, so a few long-lived clients (a proxy's upstream pool, a load test)
# can all land on one worker while another idles; a cap near clients ÷ workers spreads them.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
# Recycle workers now and then (bounded memory growth), jittered so they do not restart together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Request line and headers (issue #12.11): gunicorn's defaults, stated, and fewer header fields.
# Bodies are bounded by the reverse proxy (client_max_body_size) and by Django
# (portal.core.request_limits); gunicorn has no body limit of its own.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
# Load the app before forking: faster worker start, shared memory for code.
preload_app = True
# Behind a TLS-terminating proxy on the same host or network.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# Temporary files of uploads in memory-backed /dev/shm when available.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def post_fork(server, worker):
    # Database connections must not be shared across the fork done by preload_app.
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()


def when_ready(server):
    # jieba's dictionary takes ~1.7 s to load: load it once here, in the master, before the
    # workers are forked (preload_app), so they share it and no search after a (re)start waits.
    if preload_app:
        from portal.magazine.search import segmenter

        segmenter()
    # Everything loaded so far (Django, Wagtail, jieba's dictionary: some 230,000 objects) lives as long
    # as the workers do: keep it out of the garbage collector's reach. Otherwise each full collection in
    # a worker walks all of it (about 90 ms with every thread of the worker stopped: a p95 outlier), and
    # touching it un-shares the memory pages the workers inherited (Python's gc.freeze documentation).
    import gc

    gc.freeze()
