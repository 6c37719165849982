#!/bin/sh
# Uninstalls LiteKube: stops the server, removes what install.sh installed.
# Written by install.sh from install/litekube-uninstall.sh.
#
#   LITEKUBE_UNINSTALL_DATA=1 litekube-uninstall.sh   also deletes the data directory
#                                                    (@DATA_DIR@): every stored key is lost.
#
# The config directory is removed when its config.yaml is the one install.sh wrote;
# an edited config.yaml is kept (and said so), unless the data is deleted too.
set -e

BIN_DIR='@BIN_DIR@'
SYSTEMD_DIR='@SYSTEMD_DIR@'
CONFIG_DIR='@CONFIG_DIR@'
DATA_DIR='@DATA_DIR@'
PID_FILE='@PID_FILE@'
LOG_FILE='@LOG_FILE@'
SERVICE_MODE='@SERVICE_MODE@'
CONFIG_SUM='@CONFIG_SUM@'

info() { echo "[INFO]  $*"; }
warn() { echo "[WARN]  $*" >&2; }

# The background process of process mode, through the script install.sh wrote for it.
stop_process() {
    if [ -x "${BIN_DIR}/litekube-service.sh" ] && [ "${SERVICE_MODE}" != systemd ]; then
        "${BIN_DIR}/litekube-service.sh" stop
    fi
    rm -f "${PID_FILE}"
    rmdir "$(dirname "${PID_FILE}")" 2>/dev/null || true
}

stop_service() {
    if [ "${SERVICE_MODE}" = systemd ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        info "Stopping and disabling litekube.service"
        systemctl disable --now litekube.service >/dev/null 2>&1 || true
    fi
    if [ -f "${SYSTEMD_DIR}/litekube.service" ]; then
        rm -f "${SYSTEMD_DIR}/litekube.service"
        if [ "${SERVICE_MODE}" = systemd ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl daemon-reload || true
        fi
    fi
}

remove_config() {
    [ -d "${CONFIG_DIR}" ] || return 0
    config="${CONFIG_DIR}/config.yaml"
    if [ -f "${config}" ] && [ "${LITEKUBE_UNINSTALL_DATA:-}" != 1 ] \
        && [ "$(cksum < "${config}")" != "${CONFIG_SUM}" ]; then
        warn "Keeping ${config}: it was edited after install"
        return 0
    fi
    rm -f "${config}"
    rmdir "${CONFIG_DIR}" 2>/dev/null || warn "Keeping ${CONFIG_DIR}: it holds other files"
}

remove_data() {
    if [ "${LITEKUBE_UNINSTALL_DATA:-}" = 1 ]; then
        case "${DATA_DIR}" in
            ''|/) warn "Refusing to delete data directory '${DATA_DIR}'"; return 0 ;;
        esac
        info "Deleting data directory ${DATA_DIR}"
        rm -rf "${DATA_DIR}"
    elif [ -d "${DATA_DIR}" ]; then
        info "Kept data in ${DATA_DIR} (run with LITEKUBE_UNINSTALL_DATA=1 to delete it)"
    fi
}

stop_service
stop_process
rm -f "${BIN_DIR}/litekube" "${BIN_DIR}/litekube-service.sh"
remove_config
remove_data
rm -f "${LOG_FILE}"
info "LiteKube uninstalled"
rm -f "${BIN_DIR}/litekube-uninstall.sh"
