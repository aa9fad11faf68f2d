# Overleaf Community Edition's /etc/overleaf/env.sh, which every service of the sharelatex
# container sources when it starts, as Overleaf 5.2.1 ships it (server-ce/config/env.sh, unchanged
# from April to November 2024), with two changes:
# - CLSI_HOST names this compile service instead of the bundled CLSI (web's settings read
#   apis.clsi.url = http://${CLSI_HOST}:3013);
# - FILESTORE_HOST names the sharelatex service on the stack's network instead of 127.0.0.1, so the
#   URLs web sends for a project's files (http://${FILESTORE_HOST}:3009/...) reach its filestore
#   from the compile service too (filestore-run lets it listen there).
# The Compose stack mounts this file over the image's.
export CHAT_HOST=127.0.0.1
export CLSI_HOST=${TEXFARM_CLSI_HOST:-compile-service}
export CONTACTS_HOST=127.0.0.1
export DOCSTORE_HOST=127.0.0.1
export DOCUMENT_UPDATER_HOST=127.0.0.1
export DOCUPDATER_HOST=127.0.0.1
export FILESTORE_HOST=${TEXFARM_FILESTORE_HOST:-sharelatex}
export HISTORY_V1_HOST=127.0.0.1
export NOTIFICATIONS_HOST=127.0.0.1
export PROJECT_HISTORY_HOST=127.0.0.1
export REALTIME_HOST=127.0.0.1
export SPELLING_HOST=127.0.0.1
export WEB_HOST=127.0.0.1
export WEB_API_HOST=127.0.0.1
