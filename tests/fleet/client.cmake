# The dashboard's Prometheus client (core/fleet) against a fake Prometheus API on loopback.
add_library(servewatch_fakeprometheus STATIC
    ${CMAKE_CURRENT_LIST_DIR}/fakeprometheus.cpp ${CMAKE_CURRENT_LIST_DIR}/fakeprometheus.h)
target_link_libraries(servewatch_fakeprometheus
    PUBLIC servewatch_core servewatch_testsupport Qt6::Network Qt6::Test
    PRIVATE servewatch_options)
target_include_directories(servewatch_fakeprometheus PUBLIC ${CMAKE_CURRENT_LIST_DIR})

sw_add_test(tst_prometheusclient SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_prometheusclient.cpp
    LIBS servewatch_fakeprometheus LABELS fleet TIMEOUT 60)
sw_add_test(tst_fleetsource SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_fleetsource.cpp
    LIBS servewatch_fakeprometheus LABELS fleet TIMEOUT 60)
sw_add_test(tst_remotetimeline SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_remotetimeline.cpp
    LIBS servewatch_fakeprometheus LABELS fleet TIMEOUT 60)
sw_add_test(tst_remotediagnosis SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_remotediagnosis.cpp
    LABELS fleet TIMEOUT 60)
