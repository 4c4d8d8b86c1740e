// The validation table: one row per bad input and the one error it gets, exact to the word;
// and the warnings table.
#include "configtestsupport.h"

#include <QDir>
#include <QTest>

namespace sw::test {

void addValidationRows(const QString &dir)
{
    const auto row = [](const char *name, const QString &json, const char *expected) {
        QTest::newRow(name) << json << QString::fromUtf8(expected);
    };
    const QString minimal = j(R"("endpoints": [{"id": "a", "url": "http://h/"}])");
    // The file
    row("root is an array",
        QStringLiteral("[]"),
        "must be a JSON object {\"version\": 1, ...}, got an array");
    row("empty file",
        QStringLiteral("  \n"),
        "the file is empty: a config is a JSON object such as {\"version\": 1, \"endpoints\": []}");
    row("version missing",
        QStringLiteral("{") + minimal + QStringLiteral("}"),
        "version: is required: the schema version, \"version\": 1");
    row("version 2",
        QStringLiteral("{\"version\": 2, ") + minimal + QStringLiteral("}"),
        "version: unsupported schema version 2: this ServeWatch reads version 1");
    row("version string",
        QStringLiteral("{\"version\": \"1\", ") + minimal + QStringLiteral("}"),
        "version: must be the schema version 1, got \"1\"");
    // Found by fuzz_config: converting 1e124 to int was undefined behaviour (UBSan).
    row("version huge",
        QStringLiteral("{\"version\": 1e124, ") + minimal + QStringLiteral("}"),
        "version: must be the schema version 1, got 1e+124");
    row("unknown top-level key",
        top(R"("notification": [])"),
        "notification: unknown key \"notification\" (did you mean \"notifications\"?)");
    row("duplicate key",
        QStringLiteral("{\"version\": 1, \"version\": 1, ") + minimal + QStringLiteral("}"),
        "version: duplicate key: also on line 1 (only one of them would count)");
    row("endpoints not an array",
        j(R"({"version": 1, "endpoints": {}})"),
        "endpoints: must be an array, got an object");
    row("endpoint not an object",
        j(R"({"version": 1, "endpoints": [1]})"),
        "endpoints[0]: must be an object, got 1");
    // settings
    row("retention_days 0",
        top(R"("settings": {"retention_days": 0})"),
        "settings.retention_days: must be an integer from 1 to 3650, got 0");
    row("rollup shorter than raw",
        top(R"("settings": {"retention_days": 60, "rollup_retention_days": 30})"),
        "settings.rollup_retention_days: must be at least retention_days (60), got 30");
    row("max_concurrent_probes 0",
        top(R"("settings": {"max_concurrent_probes": 0})"),
        "settings.max_concurrent_probes: must be an integer from 1 to 1024, got 0");
    row("flap_window too short",
        top(R"("settings": {"flap_window": "30s"})"),
        "settings.flap_window: must be at least 1 min, got \"30s\"");
    row("flap_changes 1",
        top(R"("settings": {"flap_changes": 1})"),
        "settings.flap_changes: must be an integer from 2 to 100, got 1");
    row("cert warning day 0",
        top(R"("settings": {"cert_expiry_warning_days": [21, 0]})"),
        "settings.cert_expiry_warning_days[1]: must be an integer from 1 to 365, got 0");
    row("settings typo",
        top(R"("settings": {"retention_day": 5})"),
        "settings.retention_day: unknown key \"retention_day\" (did you mean \"retention_days\"?)");
    row("database not a string",
        top(R"("settings": {"database": 5})"),
        "settings.database: must be a string, got 5");
    row("settings not an object",
        top(R"("settings": [])"),
        "settings: must be an object, got an array");
    // id and url
    row("id missing",
        j(R"({"version": 1, "endpoints": [{"url": "http://h/"}]})"),
        "endpoints[0].id: is required: a unique name for the endpoint, made of letters, digits, "
        "'_', '.' and '-'");
    row("id with a space",
        j(R"({"version": 1, "endpoints": [{"id": "my endpoint", "url": "http://h/"}]})"),
        "endpoints[0].id: must contain only letters, digits, '_', '.' and '-', got \"my "
        "endpoint\"");
    row("id a number",
        j(R"({"version": 1, "endpoints": [{"id": 7, "url": "http://h/"}]})"),
        "endpoints[0].id: must be a string, got 7");
    row("duplicate id",
        QStringLiteral(
            "{\"version\": 1, \"endpoints\": [\n{\"id\": \"a\", \"url\": \"http://h/\"},\n"
            "{\"id\": \"a\", \"url\": \"http://h/2\"}]}"),
        "endpoints[1].id: duplicate id \"a\": also used by endpoints[0] (line 2)");
    row("url missing",
        j(R"({"version": 1, "endpoints": [{"id": "a"}]})"),
        "endpoints[0].url: is required: the URL to probe, e.g. \"http://127.0.0.1:8000/predict\"");
    row("url scheme",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "ftp://example.com/x"}]})"),
        "endpoints[0].url: must be an http:// or https:// URL, got \"ftp://example.com/x\"");
    row("url without scheme",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "localhost:8000/predict"}]})"),
        "endpoints[0].url: must be an http:// or https:// URL, got \"localhost:8000/predict\"");
    row("url with a space",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "localhost 8000"}]})"),
        "endpoints[0].url: must be a URL such as \"http://127.0.0.1:8000/predict\", got "
        "\"localhost 8000\"");
    row("url broken",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http://[::1/x"}]})"),
        "endpoints[0].url: must be a URL such as \"http://127.0.0.1:8000/predict\", got "
        "\"http://[::1/x\"");
    row("url without host",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http:///predict"}]})"),
        "endpoints[0].url: has no host, got \"http:///predict\"");
    row("url port 0",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http://h:0/"}]})"),
        "endpoints[0].url: port must be 1-65535, got \"http://h:0/\"");
    row("url unset variable",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http://${MODEL_HOST}/"}]})"),
        "endpoints[0].url: environment variable MODEL_HOST is not set (write "
        "\"${MODEL_HOST:-default}\" for a fallback)");
    row("url expands to a bad scheme",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "${SCHEME_FTP}://h/"}]})"),
        "endpoints[0].url: must be an http:// or https:// URL, got \"ftp://h/\" (expanded from "
        "\"${SCHEME_FTP}://h/\")");
    // Found by fuzz_config: a URL that expands to no URL showed the expanded secret.
    row("url with a secret expands to no URL",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http://[${TOKEN}]/"}]})"),
        "endpoints[0].url: must be a URL such as \"http://127.0.0.1:8000/predict\", got "
        "\"http://[${TOKEN}]/\" (not a URL once ${VAR} is expanded; the expanded text is not "
        "shown because it may hold a secret)");
    // keys
    row("unknown key with suggestion",
        ep(R"("intervall": 10)"),
        "endpoints[0].intervall: unknown key \"intervall\" (did you mean \"interval\"?)");
    row("camelCase key",
        ep(R"("connectTimeout": 1)"),
        "endpoints[0].connectTimeout: unknown key \"connectTimeout\" (did you mean "
        "\"connect_timeout\"?)");
    row("unknown key without suggestion",
        ep(R"("colour": "red")"),
        "endpoints[0].colour: unknown key \"colour\"");
    row("name not a string", ep(R"("name": 1)"), "endpoints[0].name: must be a string, got 1");
    row("service not a string",
        ep(R"("service": [])"),
        "endpoints[0].service: must be a string, got an array");
    row("unknown preset",
        ep(R"("preset": "trition")"),
        "endpoints[0].preset: unknown preset \"trition\" (did you mean \"triton\"?); known "
        "presets: "
        "generic, triton, vllm");
    row("check",
        ep(R"("check": "ready")"),
        "endpoints[0].check: must be \"health\" or \"inference\", got \"ready\"");
    row("method",
        ep(R"("method": "GE T")"),
        "endpoints[0].method: must be an HTTP method such as \"GET\" or \"POST\", got \"GE T\"");
    row("headers not an object",
        ep(R"("headers": ["a"])"),
        "endpoints[0].headers: must be an object, got an array");
    row("header value a number",
        ep(R"("headers": {"X-Test": 1})"),
        "endpoints[0].headers.X-Test: must be a string, got 1");
    row("header name",
        ep(R"("headers": {"Bad Name": "x"})"),
        "endpoints[0].headers.Bad Name: invalid header name \"Bad Name\": letters, digits and "
        "!#$%&'*+-.^_`|~ only");
    row("header line break",
        ep(R"("headers": {"X-A": "a\nb"})"),
        "endpoints[0].headers.X-A: must not contain a line break");
    row("header twice",
        ep(R"("headers": {"X-A": "1", "x-a": "2"})"),
        "endpoints[0].headers.x-a: the same header as \"X-A\" (header names ignore case)");
    row("header unset variable",
        ep(R"("headers": {"Authorization": "Bearer ${API_TOKEN}"})"),
        "endpoints[0].headers.Authorization: environment variable API_TOKEN is not set (write "
        "\"${API_TOKEN:-default}\" for a fallback)");
    row("body a number",
        ep(R"("body": 42)"),
        "endpoints[0].body: must be a string, a JSON object or a JSON array, got 42");
    row("body and body_file",
        ep(R"("body": "x", "body_file": "body.json")"),
        "endpoints[0].body_file: cannot be used together with \"body\"");
    QTest::newRow("body_file missing")
        << ep(R"("body_file": "nope.json")")
        << QStringLiteral("endpoints[0].body_file: cannot read \"%1\": No such file or directory")
               .arg(QDir(dir).filePath(QStringLiteral("nope.json")));
    // A device has no size and never ends: read up to the limit, not until the end (fuzzing).
    row("body_file a device",
        ep(R"("body_file": "/dev/zero")"),
        "endpoints[0].body_file: \"/dev/zero\" is larger than 1 MiB (it has no size: a device or a "
        "pipe?)");
    // durations
    row("interval 0", ep(R"("interval": 0)"), "endpoints[0].interval: must be at least 1 s, got 0");
    row("interval 500ms",
        ep(R"("interval": "500ms")"),
        "endpoints[0].interval: must be at least 1 s, got \"500ms\"");
    row("interval fraction",
        ep(R"("interval": 0.5)"),
        "endpoints[0].interval: must be at least 1 s, got 0.5");
    row("interval negative",
        ep(R"("interval": -5)"),
        "endpoints[0].interval: must not be negative, got -5");
    row("interval too long",
        ep(R"("interval": "2d")"),
        "endpoints[0].interval: must be at most 1 d, got \"2d\"");
    row("interval huge number",
        ep(R"("interval": 1e12)"),
        "endpoints[0].interval: must be at most 1 d, got 1000000000000");
    const char *durationMessage = "must be a duration: a number of seconds or a string such as "
                                  "\"500ms\", \"10s\", \"5m\", \"2h\" or \"1d\", got ";
    row("interval bad unit",
        ep(R"("interval": "10 sec")"),
        QByteArray(QByteArray("endpoints[0].interval: ") + durationMessage + "\"10 sec\"")
            .constData());
    row("interval no unit",
        ep(R"("interval": "10")"),
        QByteArray(QByteArray("endpoints[0].interval: ") + durationMessage + "\"10\"").constData());
    row("interval upper-case unit",
        ep(R"("interval": "10S")"),
        QByteArray(QByteArray("endpoints[0].interval: ") + durationMessage + "\"10S\"")
            .constData());
    row("interval bool",
        ep(R"("interval": true)"),
        QByteArray(QByteArray("endpoints[0].interval: ") + durationMessage + "true").constData());
    row("timeout 0", ep(R"("timeout": 0)"), "endpoints[0].timeout: must be greater than 0, got 0");
    row("timeout too long",
        ep(R"("timeout": "11m")"),
        "endpoints[0].timeout: must be at most 10 min, got \"11m\"");
    row("connect_timeout 0",
        ep(R"("connect_timeout": "0s")"),
        "endpoints[0].connect_timeout: must be greater than 0, got \"0s\"");
    row("connect_timeout over timeout",
        ep(R"("connect_timeout": 20, "timeout": 10)"),
        "endpoints[0].connect_timeout: must not be longer than the timeout (10 s), got 20");
    row("timeout under an explicit connect_timeout",
        ep(R"("timeout": "2s", "connect_timeout": "3s")"),
        "endpoints[0].connect_timeout: must not be longer than the timeout (2 s), got \"3s\"");
    row("retry_interval",
        ep(R"("retry_interval": "500ms")"),
        "endpoints[0].retry_interval: must be 0 (off) or at least 1 s, got \"500ms\"");
    row("reminder_interval",
        ep(R"("reminder_interval": "30s")"),
        "endpoints[0].reminder_interval: must be 0 (off) or at least 1 min, got \"30s\"");
    row("reminder_interval too long",
        ep(R"("reminder_interval": "8d")"),
        "endpoints[0].reminder_interval: must be at most 7 d, got \"8d\"");
    // numbers and checks
    row("retries 11",
        ep(R"("retries": 11)"),
        "endpoints[0].retries: must be an integer from 0 to 10, got 11");
    row("retries fraction",
        ep(R"("retries": 1.5)"),
        "endpoints[0].retries: must be an integer from 0 to 10, got 1.5");
    row("retries string",
        ep(R"("retries": "2")"),
        "endpoints[0].retries: must be an integer from 0 to 10, got \"2\"");
    row("slo word",
        ep(R"("slo": "fast")"),
        "endpoints[0].slo: must be a number of milliseconds or a duration string such as "
        "\"800ms\", got \"fast\"");
    row("slo negative", ep(R"("slo": -1)"), "endpoints[0].slo: must not be negative, got -1");
    row("expect_status a number",
        ep(R"("expect_status": 200)"),
        "endpoints[0].expect_status: must be an array of status codes such as [200], got 200");
    row("expect_status huge",
        ep(R"("expect_status": [1e300])"),
        "endpoints[0].expect_status[0]: must be an HTTP status code from 100 to 599, got 1e+300");
    row("expect_status 700",
        ep(R"("expect_status": [200, 700])"),
        "endpoints[0].expect_status[1]: must be an HTTP status code from 100 to 599, got 700");
    row("expect_status string",
        ep(R"("expect_status": ["200"])"),
        "endpoints[0].expect_status[0]: must be an HTTP status code from 100 to 599, got \"200\"");
    row("expect_json without slash",
        ep(R"("expect_json": ["predictions"])"),
        "endpoints[0].expect_json[0]: invalid JSON pointer \"predictions\": a JSON pointer must "
        "start with '/' (character 1)");
    row("expect_json bad escape",
        ep(R"("expect_json": ["/a~2"])"),
        "endpoints[0].expect_json[0]: invalid JSON pointer \"/a~2\": '~' at character 3 must be "
        "followed by 0 or 1");
    row("expect_json a string",
        ep(R"("expect_json": "/x")"),
        "endpoints[0].expect_json: must be an array of JSON pointers such as [\"/predictions\"], "
        "got \"/x\"");
    row("measure_ttft yes",
        ep(R"("measure_ttft": "yes")"),
        "endpoints[0].measure_ttft: must be true or false, got \"yes\"");
    row("paused 1", ep(R"("paused": 1)"), "endpoints[0].paused: must be true or false, got 1");
    // tls, proxy, credential
    row("tls not an object", ep(R"("tls": true)"), "endpoints[0].tls: must be an object, got true");
    row("tls typo",
        ep(R"("tls": {"cafile": "ca.pem"})"),
        "endpoints[0].tls.cafile: unknown key \"cafile\" (did you mean \"ca_file\"?)");
    row("tls cert without key",
        ep(R"("tls": {"cert_file": "ca.pem"})"),
        "endpoints[0].tls.key_file: is required with \"cert_file\"");
    row("tls insecure string",
        ep(R"("tls": {"insecure": "true"})"),
        "endpoints[0].tls.insecure: must be true or false, got \"true\"");
    row("tls ca_file empty",
        ep(R"("tls": {"ca_file": ""})"),
        "endpoints[0].tls.ca_file: must not be empty");
    row("proxy socks",
        ep(R"("proxy": "socks5://h:1080")"),
        "endpoints[0].proxy: must be \"env\", \"none\" or an http:// proxy URL such as "
        "\"http://proxy:3128\", got \"socks5://h:1080\"");
    row("proxy with a secret expands to no URL",
        ep(R"("proxy": "http://u:${TOKEN}@[h:3128")"),
        "endpoints[0].proxy: must be \"env\", \"none\" or an http:// proxy URL such as "
        "\"http://proxy:3128\", got \"http://u:${TOKEN}@[h:3128\" (not a URL once ${VAR} is "
        "expanded; the expanded text is not shown because it may hold a secret)");
    row("proxy a number", ep(R"("proxy": 5)"), "endpoints[0].proxy: must be a string, got 5");
    row("credential without secret",
        ep(R"("credential": {"type": "bearer"})"),
        "endpoints[0].credential.secret: is required: the name of the keychain entry that holds "
        "the secret");
    row("credential type",
        ep(R"("credential": {"secret": "s", "type": "token"})"),
        "endpoints[0].credential.type: must be \"bearer\", \"header\" or \"basic\", got \"token\"");
    row("credential header missing",
        ep(R"("credential": {"secret": "s", "type": "header"})"),
        "endpoints[0].credential.header: is required with \"type\": \"header\": the header's name, "
        "e.g. \"X-API-Key\"");
    row("credential username missing",
        ep(R"("credential": {"secret": "s", "type": "basic"})"),
        "endpoints[0].credential.username: is required with \"type\": \"basic\"");
    row("credential username with bearer",
        ep(R"("credential": {"secret": "s", "username": "u"})"),
        "endpoints[0].credential.username: applies only to \"type\": \"basic\"");
    // tags and thresholds
    row("tags a string",
        ep(R"("tags": "gpu")"),
        "endpoints[0].tags: must be an array of strings, got \"gpu\"");
    row("tag with a space",
        ep(R"("tags": ["gpu node"])"),
        "endpoints[0].tags[0]: must contain only letters, digits, '_', '.' and '-', got \"gpu "
        "node\"");
    row("tag empty", ep(R"("tags": [""])"), "endpoints[0].tags[0]: must not be empty");
    row("failure_threshold 0",
        ep(R"("failure_threshold": 0)"),
        "endpoints[0].failure_threshold: must be an integer from 1 to 100, got 0");
    row("success_threshold 101",
        ep(R"("success_threshold": 101)"),
        "endpoints[0].success_threshold: must be an integer from 1 to 100, got 101");
    // maintenance
    row("maintenance not an array",
        ep(R"("maintenance": {})"),
        "endpoints[0].maintenance: must be an array, got an object");
    row("maintenance empty window",
        ep(R"("maintenance": [{}])"),
        "endpoints[0].maintenance[0]: must be a one-off window {\"start\", \"end\"} or a weekly "
        "one "
        "{\"weekly\", \"at\", \"duration\"}");
    row("bad time zone",
        ep(R"("maintenance": [{"weekly": ["sat"], "at": "02:00", "duration": "2h", "timezone": "Europe/Berln"}])"),
        "endpoints[0].maintenance[0].timezone: unknown time zone \"Europe/Berln\" (did you mean "
        "\"Europe/Berlin\"?): an IANA id such as \"Europe/Berlin\" or \"UTC\"");
    row("end before start",
        ep(R"("maintenance": [{"start": "2026-12-01T04:00", "end": "2026-12-01T02:00"}])"),
        "endpoints[0].maintenance[0].end: must be after start (2026-12-01T04:00), got "
        "\"2026-12-01T02:00\"");
    row("window inside the skipped hour",
        ep(R"("maintenance": [{"start": "2026-03-29T02:15", "end": "2026-03-29T02:45", "timezone": "Europe/Berlin"}])"),
        "endpoints[0].maintenance[0].end: must be after start (2026-03-29T02:15), got "
        "\"2026-03-29T02:45\"");
    row("start with a space",
        ep(R"("maintenance": [{"start": "2026-12-01 02:00", "end": "2026-12-01T04:00"}])"),
        "endpoints[0].maintenance[0].start: must be a local date and time such as "
        "\"2026-12-01T02:00\" (the zone goes in \"timezone\"), got \"2026-12-01 02:00\"");
    row("start with an offset",
        ep(R"("maintenance": [{"start": "2026-12-01T02:00Z", "end": "2026-12-01T04:00"}])"),
        "endpoints[0].maintenance[0].start: must be a local date and time such as "
        "\"2026-12-01T02:00\" (the zone goes in \"timezone\"), got \"2026-12-01T02:00Z\"");
    row("end missing",
        ep(R"("maintenance": [{"start": "2026-12-01T02:00"}])"),
        "endpoints[0].maintenance[0].end: is required: a local date and time such as "
        "\"2026-12-01T02:00\"");
    row("weekly a string",
        ep(R"("maintenance": [{"weekly": "sat", "at": "02:00", "duration": "2h"}])"),
        "endpoints[0].maintenance[0].weekly: must be a non-empty array of days such as [\"sat\", "
        "\"sun\"], got \"sat\"");
    row("weekly bad day",
        ep(R"("maintenance": [{"weekly": ["sundy"], "at": "02:00", "duration": "2h"}])"),
        "endpoints[0].maintenance[0].weekly[0]: must be a day: \"mon\" to \"sun\" or \"monday\" to "
        "\"sunday\", got \"sundy\" (did you mean \"sunday\"?)");
    row("at 25:00",
        ep(R"("maintenance": [{"weekly": ["sat"], "at": "25:00", "duration": "2h"}])"),
        "endpoints[0].maintenance[0].at: must be a time of day \"HH:MM\" (24-hour), got \"25:00\"");
    row("duration in seconds",
        ep(R"("maintenance": [{"weekly": ["sat"], "at": "02:00", "duration": "90s"}])"),
        "endpoints[0].maintenance[0].duration: must be a whole number of minutes, got \"90s\"");
    row("duration missing",
        ep(R"("maintenance": [{"weekly": ["sat"], "at": "02:00"}])"),
        "endpoints[0].maintenance[0].duration: is required, e.g. \"2h\"");
    row("duration over a week",
        ep(R"("maintenance": [{"weekly": ["sat"], "at": "02:00", "duration": "8d"}])"),
        "endpoints[0].maintenance[0].duration: must be at most 7 d, got \"8d\"");
    row("weekly and start",
        ep(R"("maintenance": [{"weekly": ["sat"], "at": "02:00", "duration": "2h", "start": "2026-12-01T02:00"}])"),
        "endpoints[0].maintenance[0]: has both \"weekly\" and \"start\"/\"end\": a window is "
        "either "
        "weekly or one-off; write two windows");
    row("one-off with at",
        ep(R"("maintenance": [{"start": "2026-12-01T02:00", "end": "2026-12-01T04:00", "at": "02:00"}])"),
        "endpoints[0].maintenance[0].at: applies only to weekly windows (\"weekly\")");
    row("maintenance typo",
        ep(R"("maintenance": [{"start": "2026-12-01T02:00", "end": "2026-12-01T04:00", "time_zone": "UTC"}])"),
        "endpoints[0].maintenance[0].time_zone: unknown key \"time_zone\" (did you mean "
        "\"timezone\"?)");
    // defaults
    row("defaults id",
        j(R"({"version": 1, "defaults": {"id": "x"}, "endpoints": []})"),
        "defaults.id: cannot have a default: every endpoint has its own");
    row("defaults typo",
        j(R"({"version": 1, "defaults": {"timout": 5}, "endpoints": []})"),
        "defaults.timout: unknown key \"timout\" (did you mean \"timeout\"?)");
    row("defaults not an object",
        j(R"({"version": 1, "defaults": 1, "endpoints": []})"),
        "defaults: must be an object, got 1");
    // notifications
    row("notifications not an array",
        top(R"("notifications": {})"),
        "notifications: must be an array, got an object");
    row("channel type missing",
        top(R"("notifications": [{"id": "x"}])"),
        "notifications[0].type: is required: \"webhook\", \"desktop\" or \"command\"");
    row("channel type email",
        top(R"("notifications": [{"id": "x", "type": "email"}])"),
        "notifications[0].type: must be \"webhook\", \"desktop\" or \"command\", got \"email\"");
    row("channel id missing",
        top(R"("notifications": [{"type": "desktop"}])"),
        "notifications[0].id: is required: a unique name for the channel, made of letters, "
        "digits, '_', '.' and '-'");
    row("webhook without url",
        top(R"("notifications": [{"id": "x", "type": "webhook"}])"),
        "notifications[0].url: is required for a webhook");
    row("webhook url scheme",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "ftp://x/"}])"),
        "notifications[0].url: must be an http:// or https:// URL, got \"ftp://x/\"");
    // Found by fuzz_config: the webhook URL was shown as expanded, secrets included.
    row("webhook url scheme with a secret",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "ftp://x/?token=${TOKEN}"}])"),
        "notifications[0].url: must be an http:// or https:// URL, got \"ftp://x/?token=***\" "
        "(expanded from \"ftp://x/?token=${TOKEN}\")");
    row("webhook url with a secret expands to no URL",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "http://x:${TOKEN}/"}])"),
        "notifications[0].url: must be an http:// or https:// URL, got \"http://x:${TOKEN}/\" "
        "(not a URL once ${VAR} is expanded; the expanded text is not shown because it may hold a "
        "secret)");
    row("webhook url unset variable",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "${SLACK_URL}"}])"),
        "notifications[0].url: environment variable SLACK_URL is not set (write "
        "\"${SLACK_URL:-default}\" for a fallback)");
    row("webhook format",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "http://h/", "format": "discord"}])"),
        "notifications[0].format: must be \"json\", \"slack\" or \"teams\", got \"discord\"");
    row("command as a string",
        top(R"("notifications": [{"id": "x", "type": "command", "command": "/usr/local/bin/page --team ml"}])"),
        "notifications[0].command: must be an array such as [\"/usr/local/bin/page\", \"--team\", "
        "\"ml\"], not a string: the program is run directly, never through a shell, so quotes, "
        "pipes and variables in a string would not do what they seem");
    row("command empty",
        top(R"("notifications": [{"id": "x", "type": "command", "command": []}])"),
        "notifications[0].command: must name a program to run");
    row("command on a webhook",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "http://h/", "command": ["a"]}])"),
        "notifications[0].command: applies only to \"type\": \"command\"");
    row("url on desktop",
        top(R"("notifications": [{"id": "x", "type": "desktop", "url": "http://h/"}])"),
        "notifications[0].url: applies only to \"type\": \"webhook\"");
    row("unknown event",
        top(R"("notifications": [{"id": "x", "type": "desktop", "events": ["dwn"]}])"),
        "notifications[0].events[0]: unknown event \"dwn\" (did you mean \"down\"?); events: down, "
        "recovered, degraded, flapping, network_suspect, network_restored, reminder, "
        "cert_expiring");
    row("unknown endpoint",
        top(R"("notifications": [{"id": "x", "type": "desktop", "endpoints": ["b"]}])"),
        "notifications[0].endpoints[0]: no endpoint has the id \"b\" (write \"tag:NAME\" for a "
        "tag)");
    row("channel typo",
        top(R"("notifications": [{"id": "x", "type": "desktop", "event": ["down"]}])"),
        "notifications[0].event: unknown key \"event\" (did you mean \"events\"?)");
    row("duplicate channel id",
        top("\"notifications\": [{\"id\": \"x\", \"type\": \"desktop\"},\n {\"id\": \"x\", "
            "\"type\": \"desktop\"}]"),
        "notifications[1].id: duplicate id \"x\": also used by notifications[0] (line 1)");
}

void addWarningRows(const QString &dir)
{
    const auto row = [](const char *name, const QString &json, const char *expected) {
        QTest::newRow(name) << json << QString::fromUtf8(expected);
    };
    const char *inline_ = ": a secret written inline in the file; keep it out of the file: use "
                          "\"credential\": {\"secret\": \"NAME\"} (OS keychain) or \"${VAR}\"";
    row("inline bearer token",
        ep(R"("headers": {"Authorization": "Bearer sk-live-123"})"),
        QByteArray(QByteArray("endpoints[0].headers.Authorization") + inline_).constData());
    row("inline api key",
        ep(R"("headers": {"X-API-Key": "abc"})"),
        QByteArray(QByteArray("endpoints[0].headers.X-API-Key") + inline_).constData());
    row("inline webhook header",
        top(R"("notifications": [{"id": "x", "type": "webhook", "url": "http://h/", "headers": {"Authorization": "Basic dXNlcjpwdw=="}}])"),
        QByteArray(QByteArray("notifications[0].headers.Authorization") + inline_).constData());
    row("password in url",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http://user:hunter2@h/"}]})"),
        "endpoints[0].url: a password written inline in the URL; use \"${VAR}\" or "
        "\"credential\" instead");
    row("api key in query",
        j(R"({"version": 1, "endpoints": [{"id": "a", "url": "http://h/?api_key=abc"}]})"),
        "endpoints[0].url: query parameter \"api_key\" looks like a secret written inline; use "
        "\"${VAR}\" instead");
    row("timeout over interval",
        ep(R"("interval": 5, "timeout": 8)"),
        "endpoints[0].timeout: timeout (8 s) is longer than the interval (5 s): a slow probe "
        "delays the next one");
    row("insecure",
        ep(R"("tls": {"insecure": true})"),
        "endpoints[0].tls.insecure: certificate verification is off: anyone on the path can pose "
        "as the server; prefer \"ca_file\" with the server's CA");
    QTest::newRow("ca file missing")
        << ep(R"("tls": {"ca_file": "missing.pem"})")
        << QStringLiteral("endpoints[0].tls.ca_file: cannot read \"%1\" (yet): probes will fail "
                          "until it exists")
               .arg(QDir(dir).filePath(QStringLiteral("missing.pem")));
    row("unknown tag",
        top(R"("notifications": [{"id": "x", "type": "desktop", "endpoints": ["tag:cpu"]}])"),
        "notifications[0].endpoints[0]: no endpoint has the tag \"cpu\"");
    row("no endpoints", j(R"({"version": 1})"), "endpoints: no endpoints: nothing to probe");
}

} // namespace sw::test
