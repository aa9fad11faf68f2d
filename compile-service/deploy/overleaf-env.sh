# Overleaf Community Edition's /etc/overleaf/env.sh, which every service of the sharelatex
# container sources when it starts (and which would point web at its own bundled CLSI), with
# CLSI_HOST naming this compile service instead. Web's settings read it as
# apis.clsi.url = http://${CLSI_HOST}:3013. The Compose stack mounts this file over the image's.
export CHAT_HOST=127.0.0.1
export CLSI_HOST=${TEXFARM_CLSI_HOST:-compile-service}
export DOCSTORE_HOST=127.0.0.1
export DOCUMENT_UPDATER_HOST=127.0.0.1
export DOCUPDATER_HOST=127.0.0.1
export FILESTORE_HOST=127.0.0.1
export V1_HISTORY_HOST=127.0.0.1
export NOTIFICATIONS_HOST=127.0.0.1
export PROJECT_HISTORY_HOST=127.0.0.1
export REALTIME_HOST=127.0.0.1
export WEB_HOST=127.0.0.1
export WEB_API_HOST=127.0.0.1

export CHAT_PORT=3010
export CLSI_PORT=3013
export DOCSTORE_PORT=3016
export DOCUMENT_UPDATER_PORT=3003
export FILESTORE_PORT=3009
export V1_HISTORY_PORT=3100
export NOTIFICATIONS_PORT=3042
export PROJECT_HISTORY_PORT=3054
export REALTIME_PORT=3026
export WEB_PORT=3000
