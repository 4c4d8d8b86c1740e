target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/remoteendpoint.cpp ${CMAKE_CURRENT_LIST_DIR}/remoteendpoint.h
    ${CMAKE_CURRENT_LIST_DIR}/remotediagnosis.h
)
