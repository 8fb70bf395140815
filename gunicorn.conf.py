"""gunicorn settings for Planportal: `gunicorn -c gunicorn.conf.py planportal.wsgi`.

Each value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, …) or on
the command line. The defaults suit one machine behind a load balancer or a reverse proxy.
"""

import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers with a few threads each: the app is mostly waiting on PostgreSQL, and a
# long PDF rendering then blocks one thread rather than a whole worker.
workers = _env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)

# A live follow-up report of a 300-activity plan renders in about 30 s on two cores
# (docs/benchmarks.md); give it room, and kill only what is truly stuck.
timeout = _env_int("GUNICORN_TIMEOUT", 120)
# Requests in flight may finish during a restart or deploy.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5

# Recycle workers now and then so that memory held by a large import or PDF is given back.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200

# Logs to stdout/stderr, for the service manager or the container runtime to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Behind a proxy on another machine, set FORWARDED_ALLOW_IPS to its address (and BEHIND_PROXY=true
# for Django); the default trusts only a proxy on this machine.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
