# sources of core/secrets (the QtKeychain adapter is the separate target in keychain/)
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/secretstore.h
    ${CMAKE_CURRENT_LIST_DIR}/memorysecretstore.cpp ${CMAKE_CURRENT_LIST_DIR}/memorysecretstore.h
    ${CMAKE_CURRENT_LIST_DIR}/credentials.cpp ${CMAKE_CURRENT_LIST_DIR}/credentials.h
)
