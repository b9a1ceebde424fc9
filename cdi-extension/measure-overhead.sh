#!/usr/bin/env bash
# Rough latency probe of the interceptor (see InterceptorOverhead). Usage, from the repo root:
#   cdi-extension/measure-overhead.sh [calls]            # default JDK
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java cdi-extension/measure-overhead.sh
# Runs on the CDI 4.1 APIs Weld 6 needs, like the module's tests (see the surefire config).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl cdi-extension test-compile
mvn -B -ntp -q -pl cdi-extension dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/cdi-extension/target/test-classpath.txt"
repo="${HOME}/.m2/repository"
cp=$(tr ':' '\n' < cdi-extension/target/test-classpath.txt \
  | grep -vE 'cdi-api-4\.0|lang-model-4\.0|interceptor-api-2\.1|annotation-api-2\.1|el-api-5\.0' | paste -sd:)
for jar in jakarta/enterprise/jakarta.enterprise.cdi-api/4.1.0/jakarta.enterprise.cdi-api-4.1.0.jar \
    jakarta/enterprise/jakarta.enterprise.lang-model/4.1.0/jakarta.enterprise.lang-model-4.1.0.jar \
    jakarta/interceptor/jakarta.interceptor-api/2.2.0/jakarta.interceptor-api-2.2.0.jar \
    jakarta/annotation/jakarta.annotation-api/3.0.0/jakarta.annotation-api-3.0.0.jar \
    jakarta/el/jakarta.el-api/6.0.1/jakarta.el-api-6.0.1.jar; do
  cp="$cp:$repo/$jar"
done
cp="cdi-extension/target/test-classes:cdi-extension/target/classes:$cp"
"${JAVA:-java}" -cp "$cp" dev.concurrencysafe.cdi.measure.InterceptorOverhead "$@" 2>&1 | grep '^round'
