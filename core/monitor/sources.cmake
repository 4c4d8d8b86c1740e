target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/endpointstate.cpp ${CMAKE_CURRENT_LIST_DIR}/endpointstate.h
)
