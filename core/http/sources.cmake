target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/httpheaders.cpp ${CMAKE_CURRENT_LIST_DIR}/httpheaders.h
)
