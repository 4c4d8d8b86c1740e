# sources of core/retry
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/retryafter.cpp ${CMAKE_CURRENT_LIST_DIR}/retryafter.h
    ${CMAKE_CURRENT_LIST_DIR}/retrypolicy.cpp ${CMAKE_CURRENT_LIST_DIR}/retrypolicy.h
)
