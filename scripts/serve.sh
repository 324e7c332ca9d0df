#!/usr/bin/env bash
# Serves the site and runs the background task worker beside it; Ctrl+C stops both.
set -euo pipefail
host="${1:-127.0.0.1}"; port="${2:-8000}"
PY=.venv/bin/python
$PY manage.py db_worker --no-reload --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo
echo "  Di sản số đang chạy: http://$host:$port/"
echo "  Trang quản trị:      http://$host:$port/admin/  (tài khoản in ở trên)"
echo "  Bộ xử lý nền (db_worker) đang chạy, PID $worker. Nhấn Ctrl+C để dừng."
# The address QR plaques will carry, with a warning when no visitor's phone could open it.
$PY manage.py show_plaque_host | sed 's/^/  /'
echo
$PY manage.py runserver "$host:$port" --noreload
