# sources of core/history
target_sources(servewatch_core PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/proberecord.h
    ${CMAKE_CURRENT_LIST_DIR}/historytypes.h
    ${CMAKE_CURRENT_LIST_DIR}/historylog.h
    ${CMAKE_CURRENT_LIST_DIR}/historycodec.cpp ${CMAKE_CURRENT_LIST_DIR}/historycodec.h
    ${CMAKE_CURRENT_LIST_DIR}/historyaggregate.cpp ${CMAKE_CURRENT_LIST_DIR}/historyaggregate.h
    ${CMAKE_CURRENT_LIST_DIR}/historydb.cpp ${CMAKE_CURRENT_LIST_DIR}/historydb.h
    ${CMAKE_CURRENT_LIST_DIR}/historyschema.cpp ${CMAKE_CURRENT_LIST_DIR}/historyschema.h
    ${CMAKE_CURRENT_LIST_DIR}/historyrollups.cpp ${CMAKE_CURRENT_LIST_DIR}/historyrollups.h
    ${CMAKE_CURRENT_LIST_DIR}/historywriter.cpp ${CMAKE_CURRENT_LIST_DIR}/historywriter.h
    ${CMAKE_CURRENT_LIST_DIR}/historyqueries.cpp ${CMAKE_CURRENT_LIST_DIR}/historyqueries.h
    ${CMAKE_CURRENT_LIST_DIR}/historyretention.cpp ${CMAKE_CURRENT_LIST_DIR}/historyretention.h
    ${CMAKE_CURRENT_LIST_DIR}/historymemory.cpp ${CMAKE_CURRENT_LIST_DIR}/historymemory.h
    ${CMAKE_CURRENT_LIST_DIR}/historystore.cpp ${CMAKE_CURRENT_LIST_DIR}/historystore.h
    ${CMAKE_CURRENT_LIST_DIR}/historystorereads.cpp
    ${CMAKE_CURRENT_LIST_DIR}/historyevents.cpp
)
