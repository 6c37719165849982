#!/bin/sh
# LiteKube installer, in the spirit of the K3s one: builds the single litekube binary from
# this checkout, installs it, writes the service files and starts `litekube server`.
#
#   ./install.sh
#
# Environment variables (all optional):
#   INSTALL_LITEKUBE_EXEC         extra `litekube server` flags, e.g. "--bind-address 127.0.0.2"
#                                 (a leading "server" is accepted and ignored)
#   INSTALL_LITEKUBE_SKIP_START   "true": install everything but do not start the server
#   INSTALL_LITEKUBE_BIN_DIR      where litekube and litekube-uninstall.sh go (/usr/local/bin)
#   INSTALL_LITEKUBE_ROOT         prefix for every path below (for tests: a temporary directory);
#                                 with a prefix the server always runs as a background process
#   INSTALL_LITEKUBE_SYSTEMD_DIR  where litekube.service goes (/etc/systemd/system)
#   INSTALL_LITEKUBE_RUN_DIR      pid file directory in process mode (/run/litekube)
#   INSTALL_LITEKUBE_LOG_FILE     server log in process mode (/var/log/litekube.log)
#   INSTALL_LITEKUBE_READY_TIMEOUT seconds to wait for the server to be ready (60)
#   LITEKUBE_DATA_DIR             the server's data directory (/var/lib/litekube)
#   LITEKUBE_URL, LITEKUBE_TOKEN  join a cluster (as K3S_URL/K3S_TOKEN): the two halves of the
#                                 string `litekube add-node` prints, HOST:PORT and TOKEN/CAHASH
#
# Where systemd runs (PID 1), the server is the litekube.service unit. Elsewhere (containers,
# small edge images, CI) it runs as a background process with a pid file and a log file.
# Run litekube-uninstall.sh to undo.
set -e
set -f # INSTALL_LITEKUBE_EXEC is split into words; never glob them

info() { echo "[INFO]  $*"; }
fatal() { echo "[ERROR] $*" >&2; exit 1; }

# LITEKUBE_URL + LITEKUBE_TOKEN become the server's --join: the first start joins, later starts
# use the credentials stored in the data dir (the one-time token is spent by then).
setup_join() {
    [ -z "${LITEKUBE_URL:-}" ] && [ -z "${LITEKUBE_TOKEN:-}" ] && return 0
    if [ -z "${LITEKUBE_URL:-}" ] || [ -z "${LITEKUBE_TOKEN:-}" ]; then
        fatal "LITEKUBE_URL and LITEKUBE_TOKEN go together: the two halves of the join string litekube add-node prints (HOST:PORT and TOKEN/CAHASH)"
    fi
    url=${LITEKUBE_URL#https://}
    url=${url%/}
    case "${url}${LITEKUBE_TOKEN}" in
        *[!A-Za-z0-9.:/_[\]-]*) fatal "LITEKUBE_URL and LITEKUBE_TOKEN may hold only a host, a port, hex digits and '/': '${url}' '${LITEKUBE_TOKEN}'" ;;
    esac
    EXEC="${EXEC:+${EXEC} }--join ${url}/${LITEKUBE_TOKEN}"
}

setup_env() {
    REPO_DIR=$(cd "$(dirname "$0")" && pwd)
    ROOT=${INSTALL_LITEKUBE_ROOT:-}
    case "${ROOT}" in
        ''|/*) ;;
        *) fatal "INSTALL_LITEKUBE_ROOT must be an absolute path, not '${ROOT}'" ;;
    esac
    ROOT=${ROOT%/}
    BIN_DIR=${INSTALL_LITEKUBE_BIN_DIR:-${ROOT}/usr/local/bin}
    SYSTEMD_DIR=${INSTALL_LITEKUBE_SYSTEMD_DIR:-${ROOT}/etc/systemd/system}
    CONFIG_DIR=${ROOT}/etc/litekube
    CONFIG_FILE=${CONFIG_DIR}/config.yaml
    DATA_DIR=${LITEKUBE_DATA_DIR:-${ROOT}/var/lib/litekube}
    RUN_DIR=${INSTALL_LITEKUBE_RUN_DIR:-${ROOT}/run/litekube}
    PID_FILE=${RUN_DIR}/litekube.pid
    SERVICE=${BIN_DIR}/litekube-service.sh
    LOG_FILE=${INSTALL_LITEKUBE_LOG_FILE:-${ROOT}/var/log/litekube.log}
    READY_TIMEOUT=${INSTALL_LITEKUBE_READY_TIMEOUT:-60}
    for path in "${BIN_DIR}" "${SYSTEMD_DIR}" "${DATA_DIR}" "${RUN_DIR}" "${LOG_FILE}"; do
        case "${path}" in
            /*) ;;
            *) fatal "install paths must be absolute, not '${path}'" ;;
        esac
        case "${path}" in
            *[\'\"\\\$\`]*) fatal "install paths may not contain quotes, backslashes, \$ or backticks: '${path}'" ;;
        esac
    done

    # Normalised to single spaces (globbing is off); a leading "server" verb is dropped.
    # shellcheck disable=SC2086
    set -- ${INSTALL_LITEKUBE_EXEC:-}
    if [ "${1:-}" = server ]; then
        shift
    fi
    EXEC="$*"
    case "${EXEC}" in
        *[\'\"\\\$\`]*) fatal "INSTALL_LITEKUBE_EXEC may not contain quotes, backslashes, \$ or backticks: '${EXEC}'" ;;
    esac
    setup_join

    case "${INSTALL_LITEKUBE_SKIP_START:-false}" in
        true|1) SKIP_START=true ;;
        false|0|'') SKIP_START=false ;;
        *) fatal "INSTALL_LITEKUBE_SKIP_START must be true or false, not '${INSTALL_LITEKUBE_SKIP_START}'" ;;
    esac
    case "${READY_TIMEOUT}" in
        ''|*[!0-9]*) fatal "INSTALL_LITEKUBE_READY_TIMEOUT must be a number of seconds, not '${READY_TIMEOUT}'" ;;
    esac

    # A unit under a test prefix is not one systemd would ever load.
    if [ -z "${ROOT}" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        SERVICE_MODE=systemd
    else
        SERVICE_MODE=process
    fi

    if [ -z "${ROOT}" ] && [ "$(id -u)" -ne 0 ]; then
        fatal "run as root (it writes ${BIN_DIR}, /etc and ${DATA_DIR}), e.g. sudo ./install.sh"
    fi
}

verify_system() {
    [ -f "${REPO_DIR}/cmd/litekube/litekube.csproj" ] || fatal "run install.sh from a LiteKube checkout (no cmd/litekube in ${REPO_DIR})"
    command -v dotnet >/dev/null 2>&1 || fatal "the .NET 10 SDK is needed to build litekube: install it so that 'dotnet' is on PATH"
    case "$(uname -m)" in
        x86_64|amd64) RID=linux-x64 ;;
        aarch64|arm64) RID=linux-arm64 ;;
        *) fatal "unsupported architecture $(uname -m): litekube builds for x86_64 and aarch64" ;;
    esac
}

build_binary() {
    BUILD_DIR=${REPO_DIR}/artifacts/install/${RID}
    info "Building litekube for ${RID} (dotnet publish, about a minute)"
    if ! dotnet publish "${REPO_DIR}/cmd/litekube/litekube.csproj" -c Release -r "${RID}" \
        -o "${BUILD_DIR}" -nologo -v quiet > "${REPO_DIR}/artifacts/install-build.log" 2>&1; then
        tail -n 30 "${REPO_DIR}/artifacts/install-build.log" >&2
        fatal "dotnet publish failed; the full log is ${REPO_DIR}/artifacts/install-build.log"
    fi
    [ -x "${BUILD_DIR}/litekube" ] || fatal "dotnet publish did not produce ${BUILD_DIR}/litekube"
}

# Replaces a file atomically: a running litekube keeps its old binary until restarted.
install_file() { # source target mode
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2.tmp.$$"
    chmod "$3" "$2.tmp.$$"
    mv -f "$2.tmp.$$" "$2"
}

# Fills a template from install/ with this installation's paths.
render() { # template target mode
    escape() { printf '%s' "$1" | sed -e 's/[|&\\]/\\&/g'; }
    sed -e "s|@BIN_DIR@|$(escape "${BIN_DIR}")|g" \
        -e "s|@SYSTEMD_DIR@|$(escape "${SYSTEMD_DIR}")|g" \
        -e "s|@CONFIG_DIR@|$(escape "${CONFIG_DIR}")|g" \
        -e "s|@CONFIG_FILE@|$(escape "${CONFIG_FILE}")|g" \
        -e "s|@DATA_DIR@|$(escape "${DATA_DIR}")|g" \
        -e "s|@PID_FILE@|$(escape "${PID_FILE}")|g" \
        -e "s|@LOG_FILE@|$(escape "${LOG_FILE}")|g" \
        -e "s|@SERVICE_MODE@|${SERVICE_MODE}|g" \
        -e "s|@CONFIG_SUM@|${CONFIG_SUM}|g" \
        -e "s|@EXEC@|$(escape "${EXEC}")|g" \
        "${REPO_DIR}/install/$1" > "$2.tmp.$$"
    chmod "$3" "$2.tmp.$$"
    mv -f "$2.tmp.$$" "$2"
}

install_files() {
    info "Installing litekube to ${BIN_DIR}/litekube"
    install_file "${BUILD_DIR}/litekube" "${BIN_DIR}/litekube" 0755

    mkdir -p "${CONFIG_DIR}" "${DATA_DIR}"
    chmod 0700 "${DATA_DIR}"
    if [ ! -f "${CONFIG_FILE}" ]; then
        info "Writing ${CONFIG_FILE}"
        install_file "${REPO_DIR}/install/config.yaml" "${CONFIG_FILE}" 0644
    fi
    # The uninstaller removes the config only if nobody edited it since.
    CONFIG_SUM=$(cksum < "${REPO_DIR}/install/config.yaml")

    info "Writing ${SYSTEMD_DIR}/litekube.service"
    mkdir -p "${SYSTEMD_DIR}"
    render litekube.service "${SYSTEMD_DIR}/litekube.service" 0644

    info "Writing ${BIN_DIR}/litekube-service.sh"
    render litekube-service.sh "${SERVICE}" 0755

    info "Writing ${BIN_DIR}/litekube-uninstall.sh"
    render litekube-uninstall.sh "${BIN_DIR}/litekube-uninstall.sh" 0755
}

start_process() {
    LOG_OFFSET=0
    if [ -f "${LOG_FILE}" ]; then
        LOG_OFFSET=$(wc -c < "${LOG_FILE}")
    fi
    "${SERVICE}" start
}

start_systemd() {
    info "Enabling and starting litekube.service"
    LOG_SINCE=$(date '+%Y-%m-%d %H:%M:%S')
    systemctl daemon-reload
    systemctl enable litekube.service >/dev/null 2>&1
    systemctl restart litekube.service
}

server_log() { # everything the server logged since this start
    if [ "${SERVICE_MODE}" = systemd ]; then
        journalctl -u litekube.service --since "${LOG_SINCE}" -o cat --no-pager 2>/dev/null || true
    else
        tail -c "+$((LOG_OFFSET + 1))" "${LOG_FILE}" 2>/dev/null || true
    fi
}

server_alive() {
    "${SERVICE}" status
}

wait_ready() {
    i=0
    while [ "${i}" -lt $((READY_TIMEOUT * 5)) ]; do
        if server_log | grep -q 'litekube server ready:'; then
            info "$(server_log | grep 'litekube server ready:' | tail -n 1 | sed 's/^.*\(litekube server ready:\)/\1/')"
            return 0
        fi
        if ! server_alive; then
            break
        fi
        i=$((i + 1))
        sleep 0.2
    done
    server_log | tail -n 20 >&2
    if server_alive; then
        fatal "litekube server was not ready within ${READY_TIMEOUT} s (last lines of its log above)"
    fi
    [ "${SERVICE_MODE}" = systemd ] || rm -f "${PID_FILE}"
    fatal "litekube server exited (last lines of its log above)"
}

print_summary() {
    echo
    info "LiteKube is installed."
    info "  binary:     ${BIN_DIR}/litekube"
    info "  data:       ${DATA_DIR}"
    info "  settings:   ${CONFIG_FILE}"
    if [ "${SERVICE_MODE}" = systemd ]; then
        info "  service:    systemctl status litekube   (logs: journalctl -u litekube)"
    else
        info "  process:    pid file ${PID_FILE}, log ${LOG_FILE}"
    fi
    info "  uninstall:  ${BIN_DIR}/litekube-uninstall.sh"
    if [ "${SKIP_START}" = false ]; then
        info "Try: ETCDCTL_API=3 etcdctl --endpoints ${ENDPOINT} put hello world"
    fi
}

etcd_endpoint() {
    # Mirrors the server: the etcd API is on the bind address when it is 127.x, else 127.0.0.1.
    address=127.0.0.1
    port=2379
    set -- ${EXEC}
    while [ $# -gt 0 ]; do
        case "$1" in
            --bind-address) case "${2:-}" in 127.*) address=$2 ;; esac; shift ;;
            --bind-address=127.*) address=${1#--bind-address=} ;;
            --etcd-port) port=${2:-${port}}; shift ;;
            --etcd-port=*) port=${1#--etcd-port=} ;;
        esac
        shift
    done
    ENDPOINT=http://${address}:${port}
}

main() {
    setup_env
    verify_system
    build_binary
    install_files
    etcd_endpoint
    if [ "${SKIP_START}" = true ]; then
        info "Skipping the start (INSTALL_LITEKUBE_SKIP_START=true)"
    elif [ "${SERVICE_MODE}" = systemd ]; then
        start_systemd
        wait_ready
    else
        start_process
        wait_ready
    fi
    print_summary
}

main "$@"
