# docs/fleet checked by the tools that load it: the Prometheus config (with its rule files), the
# rules, the rules' unit tests (the alerting logic) and the Alertmanager config. promtool comes
# with Debian's `prometheus` package, amtool with `prometheus-alertmanager`; a missing tool skips
# its test (exit 77). Only the tools run: no Prometheus or Alertmanager server is started.
set(SW_FLEET_DOCS ${PROJECT_SOURCE_DIR}/docs/fleet)
foreach(mode check-config check-rules test-rules)
    string(REPLACE "-" "_" name "${mode}")
    add_test(NAME fleet_promtool_${name}
        COMMAND ${CMAKE_CURRENT_LIST_DIR}/promtool.sh ${mode} ${SW_FLEET_DOCS})
    set_tests_properties(fleet_promtool_${name} PROPERTIES
        LABELS fleet TIMEOUT 60 SKIP_RETURN_CODE 77)
endforeach()
add_test(NAME fleet_amtool_check_config
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/promtool.sh amtool-check-config ${SW_FLEET_DOCS})
set_tests_properties(fleet_amtool_check_config PROPERTIES
    LABELS fleet TIMEOUT 60 SKIP_RETURN_CODE 77)
