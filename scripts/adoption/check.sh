#!/usr/bin/env bash
# The adoption check (issue 13's "done when"): a fresh Maven project OUTSIDE the repository, made only of
# the README's snippets (the code blocks under "<!-- adoption: PATH -->" markers in "Use Linea in your
# project"), depends on Linea as installed from this clone, trains a model on a CSV file (CsvDataset),
# saves it with its model card (Models.save), reloads it (Models.load) and predicts (Predictor, top-k with
# labels), in its own tests (surefire), as a plain class-path program and as a named module.
#
# Nothing touches ~/.m2: Linea is installed into a temporary local repository, which takes every other
# artifact first from ~/.m2 (read as a file:// repository, so a machine that has run the tests needs no
# network) and only then from Maven Central.
#
# Usage: scripts/adoption/check.sh            (KEEP=1 keeps the temporary folder and prints it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
SEED="${LINEA_SEED_REPO:-$HOME/.m2/repository}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/linea-adoption.XXXXXX")"
if [ "${KEEP:-}" = 1 ]; then echo "adoption: keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
APP="$WORK/app"
REPO="$WORK/repository"
LOG="$WORK/log"
mkdir -p "$APP" "$REPO" "$LOG"

repo_xml() {
  cat <<XML
        <$1>
          <id>seed</id>
          <url>file://$SEED</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </$1>
        <$1>
          <id>central</id>
          <url>https://repo.maven.apache.org/maven2</url>
          <snapshots><enabled>false</enabled></snapshots>
        </$1>
XML
}
cat > "$WORK/settings.xml" <<XML
<settings>
  <localRepository>$REPO</localRepository>
  <profiles>
    <profile>
      <id>seed</id>
      <repositories>
$(repo_xml repository)
      </repositories>
      <pluginRepositories>
$(repo_xml pluginRepository)
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>seed</activeProfile></activeProfiles>
</settings>
XML
mvn_() { mvn -B -s "$WORK/settings.xml" "$@"; }
step() { echo "adoption: $*"; }
fail() { echo "adoption: FAILED: $*" >&2; exit 1; }
run_logged() { # name, command...: quiet unless it fails
  local name="$1"; shift
  "$@" >"$LOG/$name" 2>&1 || { sed 's/\x1b\[[0-9;]*m//g' "$LOG/$name" | tail -40 >&2; fail "$name (full log: $LOG/$name)"; }
}

# 1. The README's install from a clone (mvn -B install -DskipTests), of what the app needs only (the parent
#    pom and core), without compiling the tests or making the sources and javadoc jars: the same jar,
#    a minute sooner.
step "mvn install of linea-core into $REPO"
(cd "$ROOT" && run_logged install mvn_ install -Dmaven.test.skip=true -Dmaven.source.skip=true -Dmaven.javadoc.skip=true -pl core -am)
[ -f "$REPO/dev/linea/linea-core/0.2.0/linea-core-0.2.0.jar" ] || fail "linea-core-0.2.0.jar was not installed"

# 2. The project, from the README's snippets only.
awk -v out="$APP" '
  /^<!-- adoption: .* -->$/ { path = $3; next }
  path != "" && /^```/ && !inside { inside = 1; file = out "/" path; system("mkdir -p \"$(dirname \"" file "\")\""); printf "" > file; next }
  inside && /^```$/ { inside = 0; close(file); n++; path = ""; next }
  inside { print >> file }
  END { if (n < 4) { print "adoption: expected 4 snippets in the README, found " n > "/dev/stderr"; exit 1 } }
' "$ROOT/README.md"
step "project from the README: $(cd "$APP" && find . -type f | sort | tr '\n' ' ')"

# 3. Its tests: compile against linea-core, train, save, reload, predict (surefire with the README's argLine).
step "mvn test in the new project"
(cd "$APP" && run_logged app-test mvn_ test)
grep -q "Tests run: 1, Failures: 0, Errors: 0" "$LOG/app-test" || fail "the app's test did not run (log: $LOG/app-test)"

check_run() { # log: the program's output says it learned, reloaded and predicted, on the vector kernels
  cat "$1"
  grep -q "scalar kernels" "$1" && fail "the program ran on the scalar kernels despite --add-modules jdk.incubator.vector"
  local right
  right=$(sed -n 's/.*reloaded model: \([0-9]*\)\/200 test points right/\1/p' "$1")
  [ -n "$right" ] && [ "$right" -ge 190 ] || fail "the reloaded model got ${right:-no} of 200 test points right (want >= 190)"
  grep -q "^(2.1, -0.2): green " "$1" || fail "the Predictor did not put (2.1, -0.2) in class green first"
}
CORE="$REPO/dev/linea/linea-core/0.2.0/linea-core-0.2.0.jar"

# 4. The program on the class path, as the README's table says.
step "java -cp (class path) com.example.App"
(cd "$WORK" && java --add-modules jdk.incubator.vector -cp "$APP/target/classes:$CORE" com.example.App \
  "$WORK/cp" >"$LOG/app-run" 2>&1) || { cat "$LOG/app-run" >&2; fail "the program failed"; }
check_run "$LOG/app-run"

# 5. The same program as a named module, with the README's module-info (its opens), on the module path.
step "java -p (module path) -m com.example/com.example.App"
javac -p "$CORE" -d "$WORK/mods/com.example" "$APP/modular/module-info.java" "$APP/src/main/java/com/example/App.java" \
  >"$LOG/module-javac" 2>&1 || { cat "$LOG/module-javac" >&2; fail "the module did not compile"; }
(cd "$WORK" && java --add-modules jdk.incubator.vector -p "$CORE:$WORK/mods" -m com.example/com.example.App \
  "$WORK/module" >"$LOG/module-run" 2>&1) || { cat "$LOG/module-run" >&2; fail "the module failed"; }
check_run "$LOG/module-run"
step "passed"
