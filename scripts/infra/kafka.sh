# Apache Kafka 4.1 in KRaft mode (one process is broker and controller), run from the Maven Central jars.
# Sourced by infra.sh.

KAFKA_VERSION=4.1.1

kafka_home() { echo "$CACHE/kafka-$KAFKA_VERSION-$(sha256sum "$INFRA_DIR/kafka/pom.xml" | cut -c1-12)"; }

build_kafka() {
	local home
	home="$(kafka_home)"
	if [[ -f "$home/.complete" ]]; then
		format_kafka_template
		return 0
	fi
	need_java
	need_mvn
	log "kafka: fetching Kafka $KAFKA_VERSION jars from Maven Central into $home (once)"
	local tmp="$home.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$tmp/libs"
	if ! mvn -B -q -Dstyle.color=never -f "$INFRA_DIR/kafka/pom.xml" \
		org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
		-DincludeScope=runtime -DoutputDirectory="$tmp/libs" >"$CACHE/kafka-build.log" 2>&1; then
		tail -n 40 "$CACHE/kafka-build.log" >&2
		die "kafka: Maven could not fetch the jars (is Maven Central reachable?)"
	fi
	ls "$tmp/libs"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null || die "kafka: kafka_2.13-$KAFKA_VERSION.jar missing"
	touch "$tmp/.complete"
	rm -rf "$home"
	mv "$tmp" "$home"
	format_kafka_template
}

# Formatting the KRaft storage costs a JVM start (seconds on a busy machine), so it is done once into a template
# that each fresh start copies. A single node wiped on every start can keep one cluster id.
format_kafka_template() {
	local tpl
	tpl="$(kafka_home)/storage-template"
	[[ -f "$tpl/.complete" ]] && return 0
	need_java
	local tmp="$tpl.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	write_kafka_config "$tmp"
	kafka_java_args
	if ! "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(python3 "$INFRA_DIR/probe.py" kafka-id)" \
		-c "$tmp/server.properties" >"$tmp/format.log" 2>&1; then
		cat "$tmp/format.log" >&2
		die "kafka: formatting the storage failed"
	fi
	touch "$tmp/.complete"
	rm -rf "$tpl"
	mv "$tmp" "$tpl"
}

# A small heap is plenty for tests; slf4j-simple writes to stderr, which launch() sends to the log. The data dir is
# on the command line so that our_pid() recognises the process as ours.
kafka_java_args() {
	KAFKA_JAVA=(java -Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
		-Dorg.slf4j.simpleLogger.showDateTime=true
		"-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS"
		"-Drexvet.data=$(data_dir kafka)" -cp "$(kafka_home)/libs/*")
}

write_kafka_config() {
	local data="$1"
	cat >"$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
# One node: every internal topic has one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1
group.initial.rebalance.delay.ms=0
# The adapters create their topics with explicit partition counts, as in production; a typo must not create a topic.
auto.create.topics.enable=false
num.partitions=6
PROPS
}

start_kafka() {
	need_java
	local data
	data="$(data_dir kafka)"
	fresh_data kafka
	port_open "$KAFKA_PORT" && die "kafka: port $KAFKA_PORT is taken by a process this script did not start"
	port_open "$KAFKA_CONTROLLER_PORT" &&
		die "kafka: port $KAFKA_CONTROLLER_PORT is taken by a process this script did not start"
	write_kafka_config "$data"
	if [[ ! -f "$data/logs/meta.properties" ]]; then
		mkdir -p "$data/logs"
		cp -a "$(kafka_home)/storage-template/logs/." "$data/logs/"
	fi
	kafka_java_args
	launch kafka "${KAFKA_JAVA[@]}" kafka.Kafka "$data/server.properties"
}

kafka_started() { grep -q "Kafka Server started" "$(log_file kafka)" && port_open "$KAFKA_PORT"; }
probe_kafka() { port_open "$KAFKA_PORT"; }
ready_kafka() { wait_ready kafka 120 kafka_started; }
describe_kafka() { echo "kafka=$HOST:$KAFKA_PORT"; }
