# sources of core/demo
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/demoserver.cpp ${CMAKE_CURRENT_LIST_DIR}/demoserver.h
    ${CMAKE_CURRENT_LIST_DIR}/democonnection.cpp ${CMAKE_CURRENT_LIST_DIR}/democonnection.h
    ${CMAKE_CURRENT_LIST_DIR}/demohttp.cpp ${CMAKE_CURRENT_LIST_DIR}/demohttp.h
    ${CMAKE_CURRENT_LIST_DIR}/demoresponder.cpp ${CMAKE_CURRENT_LIST_DIR}/demoresponder.h
    ${CMAKE_CURRENT_LIST_DIR}/demoroutes.cpp ${CMAKE_CURRENT_LIST_DIR}/demoroutes.h
    ${CMAKE_CURRENT_LIST_DIR}/demopayloads.cpp ${CMAKE_CURRENT_LIST_DIR}/demopayloads.h
    ${CMAKE_CURRENT_LIST_DIR}/demoscenario.cpp ${CMAKE_CURRENT_LIST_DIR}/demoscenario.h
    ${CMAKE_CURRENT_LIST_DIR}/demounreadpool.cpp ${CMAKE_CURRENT_LIST_DIR}/demounreadpool.h
)
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/demoenvironment.cpp ${CMAKE_CURRENT_LIST_DIR}/demoenvironment.h
)
qt_add_resources(servewatch_core "demodata"
    PREFIX "/demo"
    BASE "${PROJECT_SOURCE_DIR}/resources/demo"
    FILES
        ${PROJECT_SOURCE_DIR}/resources/demo/expired-demo.pem
        ${PROJECT_SOURCE_DIR}/resources/demo/expired-demo.key
)
