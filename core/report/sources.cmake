target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/redact.cpp ${CMAKE_CURRENT_LIST_DIR}/redact.h
    ${CMAKE_CURRENT_LIST_DIR}/curlcommand.cpp ${CMAKE_CURRENT_LIST_DIR}/curlcommand.h
    ${CMAKE_CURRENT_LIST_DIR}/probereport.cpp ${CMAKE_CURRENT_LIST_DIR}/probereport.h
    ${CMAKE_CURRENT_LIST_DIR}/markdownreport.cpp ${CMAKE_CURRENT_LIST_DIR}/markdownreport.h
)
