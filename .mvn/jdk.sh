# Sourced (POSIX sh) by mvnw and the project's scripts: points JAVA_HOME at a JDK of release 21 or
# later. Keeps JAVA_HOME when it already is one; otherwise looks at `java` on the PATH and in
# Debian's JVM folder, newest first. Fails with a clear message when there is none.

jdk_release() {
  # Prints the feature release (17, 21, 25...) of the JDK at $1, or nothing.
  [ -x "$1/bin/javac" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

find_jdk21() {
  if [ -n "${JAVA_HOME-}" ] && [ "$(jdk_release "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  candidates=""
  if command -v javac >/dev/null 2>&1; then
    candidates="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
  fi
  # find, not a glob: mvnw runs with globbing off (set -f).
  candidates="$candidates
$(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d 2>/dev/null)"
  best="" best_release=0
  for dir in $candidates; do
    release=$(jdk_release "$dir")
    if [ -n "$release" ] && [ "$release" -ge 21 ] && [ "$release" -gt "$best_release" ]; then
      best=$dir best_release=$release
    fi
  done
  if [ -z "$best" ]; then
    echo "No JDK of release 21 or later found (JAVA_HOME=${JAVA_HOME-unset}; searched the PATH and /usr/lib/jvm)." >&2
    echo "Install one (Debian: apt-get install openjdk-21-jdk-headless, or a Temurin 21+ JDK) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}

find_jdk21

# Maven 3.9's own libraries (Guava, Jansi) call sun.misc.Unsafe and System::load, which JDK 24 and
# later warn about on every build; they are Maven's, not the project's, and allowed here.
if [ "$(jdk_release "$JAVA_HOME")" -ge 24 ] 2>/dev/null; then
  MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED"
  export MAVEN_OPTS
fi
