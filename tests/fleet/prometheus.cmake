# A real Prometheus scrapes a real agent (tst_prometheus): needs /usr/bin/prometheus (skips
# without it) and the servewatch binary.
sw_add_test(tst_prometheus SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_prometheus.cpp
    LABELS "fleet;prometheus" TIMEOUT 180)
add_dependencies(tst_prometheus servewatch)
target_compile_definitions(tst_prometheus PRIVATE SW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
