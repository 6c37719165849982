#!/bin/sh
# Starts and stops the litekube server the way install.sh set it up: the litekube.service unit
# where systemd runs, else a background process with a pid file and a log file. Written by
# install.sh from install/litekube-service.sh; install.sh, the uninstaller and `litekube join`
# (which restarts the server with the join in its config file) use it.
#
#   litekube-service.sh start|stop|restart|status|paths
#
# status exits 0 while the server runs; paths prints this installation's paths as NAME=VALUE.
set -e
set -f # EXEC is split into words; never glob them

BIN_DIR='@BIN_DIR@'
CONFIG_FILE='@CONFIG_FILE@'
DATA_DIR='@DATA_DIR@'
PID_FILE='@PID_FILE@'
LOG_FILE='@LOG_FILE@'
SERVICE_MODE='@SERVICE_MODE@'
EXEC='@EXEC@'

info() { echo "[INFO]  $*"; }

# True while the process exists and is not a zombie (a zombie has exited; whoever adopted it
# may just not have reaped it yet, e.g. a container's PID 1).
alive() {
    state=$(sed -n 's/^.*) \(.\).*$/\1/p' "/proc/$1/stat" 2>/dev/null || true)
    [ -n "${state}" ] && [ "${state}" != Z ] && [ "${state}" != X ]
}

# The pid of the running server; only a pid that is still a litekube process (pids are reused).
running_pid() {
    [ -f "${PID_FILE}" ] || return 1
    pid=$(cat "${PID_FILE}" 2>/dev/null || true)
    case "${pid}" in
        ''|*[!0-9]*) return 1 ;;
    esac
    alive "${pid}" && tr '\0' ' ' < "/proc/${pid}/cmdline" 2>/dev/null | grep -q 'litekube' && echo "${pid}"
}

stop_process() {
    pid=$(running_pid) || { rm -f "${PID_FILE}"; return 0; }
    info "Stopping the running litekube (pid ${pid})"
    kill -TERM "${pid}" 2>/dev/null || true
    i=0
    while alive "${pid}"; do
        i=$((i + 1))
        if [ "${i}" -ge 300 ]; then
            info "litekube did not stop within 30 s; killing it"
            kill -KILL "${pid}" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    rm -f "${PID_FILE}"
}

start_process() {
    stop_process
    mkdir -p "$(dirname "${PID_FILE}")" "$(dirname "${LOG_FILE}")"
    info "Starting litekube server in the background (log ${LOG_FILE}, pid file ${PID_FILE})"
    # setsid: its own session, so a Ctrl-C in the caller's terminal does not reach it; as this
    # shell has no job control, the background job is no group leader and setsid execs without
    # forking. LITEKUBE_URL/LITEKUBE_TOKEN were turned into --join by install.sh: the server
    # must not read the token half as its own --token (the external datastore's secret).
    launcher=
    command -v setsid >/dev/null 2>&1 && launcher=setsid
    # shellcheck disable=SC2086 # EXEC is a list of flags
    nohup env -u LITEKUBE_URL -u LITEKUBE_TOKEN ${launcher} "${BIN_DIR}/litekube" server --data-dir "${DATA_DIR}" --config "${CONFIG_FILE}" ${EXEC} \
        < /dev/null >> "${LOG_FILE}" 2>&1 &
    echo $! > "${PID_FILE}"
}

case "${1:-}" in
    start|restart)
        if [ "${SERVICE_MODE}" = systemd ]; then
            systemctl enable litekube.service >/dev/null 2>&1
            systemctl restart litekube.service
        else
            start_process
        fi
        ;;
    stop)
        if [ "${SERVICE_MODE}" = systemd ]; then
            systemctl stop litekube.service
        else
            stop_process
        fi
        ;;
    status)
        if [ "${SERVICE_MODE}" = systemd ]; then
            systemctl is-active --quiet litekube.service
        else
            running_pid > /dev/null
        fi
        ;;
    paths)
        echo "CONFIG_FILE=${CONFIG_FILE}"
        echo "DATA_DIR=${DATA_DIR}"
        echo "LOG_FILE=${LOG_FILE}"
        echo "SERVICE_MODE=${SERVICE_MODE}"
        ;;
    *)
        echo "usage: $0 start|stop|restart|status|paths" >&2
        exit 2
        ;;
esac
