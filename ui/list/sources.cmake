# sources of ui/list: the endpoint list (presentation and filter proxies, sparkline delegate,
# status summary, the list widget)
target_sources(servewatch_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointpresentationproxy.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointpresentationproxy.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointfilterproxy.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointfilterproxy.h
    ${CMAKE_CURRENT_LIST_DIR}/sparklinedelegate.cpp ${CMAKE_CURRENT_LIST_DIR}/sparklinedelegate.h
    ${CMAKE_CURRENT_LIST_DIR}/statussummarybar.cpp ${CMAKE_CURRENT_LIST_DIR}/statussummarybar.h
    ${CMAKE_CURRENT_LIST_DIR}/endpointlistwidget.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointlistwidget.h
)
