# sources of core/net
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/resolver.cpp ${CMAKE_CURRENT_LIST_DIR}/resolver.h
    ${CMAKE_CURRENT_LIST_DIR}/tcpconnection.cpp ${CMAKE_CURRENT_LIST_DIR}/tcpconnection.h
    ${CMAKE_CURRENT_LIST_DIR}/tlsconfigcache.cpp ${CMAKE_CURRENT_LIST_DIR}/tlsconfigcache.h
    ${CMAKE_CURRENT_LIST_DIR}/proxyconfig.cpp ${CMAKE_CURRENT_LIST_DIR}/proxyconfig.h
)
