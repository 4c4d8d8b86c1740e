# sources of core/diagnosis
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/knowledgebase.cpp ${CMAKE_CURRENT_LIST_DIR}/knowledgebase.h
    ${CMAKE_CURRENT_LIST_DIR}/placeholders.cpp
    ${CMAKE_CURRENT_LIST_DIR}/diagnosis.h
    ${CMAKE_CURRENT_LIST_DIR}/evidence.h
)

# The shipped knowledge (docs/KNOWLEDGE.md), embedded as :/knowledge/<file>.json. core is a static
# library: Qt puts the resource in an object library that every target linking core links too,
# so the data registers itself at start-up (tst_knowledgebase checks this).
qt_add_resources(servewatch_core "knowledge"
    PREFIX "/knowledge"
    BASE "${PROJECT_SOURCE_DIR}/resources/knowledge"
    FILES
        ${PROJECT_SOURCE_DIR}/resources/knowledge/dns.json
        ${PROJECT_SOURCE_DIR}/resources/knowledge/network.json
        ${PROJECT_SOURCE_DIR}/resources/knowledge/proxy.json
        ${PROJECT_SOURCE_DIR}/resources/knowledge/tls.json
        ${PROJECT_SOURCE_DIR}/resources/knowledge/http.json
        ${PROJECT_SOURCE_DIR}/resources/knowledge/response.json
)

target_sources(servewatch_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/evidence.cpp)
