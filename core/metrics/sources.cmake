target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/exposition.cpp ${CMAKE_CURRENT_LIST_DIR}/exposition.h
    ${CMAKE_CURRENT_LIST_DIR}/labelpolicy.cpp ${CMAKE_CURRENT_LIST_DIR}/labelpolicy.h
    ${CMAKE_CURRENT_LIST_DIR}/processstats.cpp ${CMAKE_CURRENT_LIST_DIR}/processstats.h
    ${CMAKE_CURRENT_LIST_DIR}/metricscollector.cpp ${CMAKE_CURRENT_LIST_DIR}/metricscollector.h
    ${CMAKE_CURRENT_LIST_DIR}/metricsserver.cpp ${CMAKE_CURRENT_LIST_DIR}/metricsserver.h
    ${CMAKE_CURRENT_LIST_DIR}/probeallowlist.cpp ${CMAKE_CURRENT_LIST_DIR}/probeallowlist.h
    ${CMAKE_CURRENT_LIST_DIR}/probehandler.cpp ${CMAKE_CURRENT_LIST_DIR}/probehandler.h
    ${CMAKE_CURRENT_LIST_DIR}/probemetrics.cpp ${CMAKE_CURRENT_LIST_DIR}/probemetrics.h
)
