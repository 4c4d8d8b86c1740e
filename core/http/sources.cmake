target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/httpheaders.cpp ${CMAKE_CURRENT_LIST_DIR}/httpheaders.h
    ${CMAKE_CURRENT_LIST_DIR}/httpresponseparser.cpp ${CMAKE_CURRENT_LIST_DIR}/httpresponseparser.h
    ${CMAKE_CURRENT_LIST_DIR}/httprequestwriter.cpp ${CMAKE_CURRENT_LIST_DIR}/httprequestwriter.h
    ${CMAKE_CURRENT_LIST_DIR}/httprequestparser.cpp ${CMAKE_CURRENT_LIST_DIR}/httprequestparser.h
    ${CMAKE_CURRENT_LIST_DIR}/reasonphrase.cpp ${CMAKE_CURRENT_LIST_DIR}/reasonphrase.h
    ${CMAKE_CURRENT_LIST_DIR}/jsonpointer.cpp ${CMAKE_CURRENT_LIST_DIR}/jsonpointer.h
)
