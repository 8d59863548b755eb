# CPack pre-build script (CPACK_PRE_BUILD_SCRIPTS): give the staged files the
# layout of Debian's daemontools package before the .deb is made.
set(stage ${CPACK_TEMPORARY_INSTALL_DIRECTORY})
if(NOT EXISTS ${stage}/usr/bin)
  message(FATAL_ERROR "deb.cmake: no ${stage}/usr/bin")
endif()
# svscanboot configured for /etc/service.
if(DEFINED CPACK_DT_SVSCANBOOT)
  # (COPY_FILE: file(COPY) would skip it, having the same timestamp.)
  file(COPY_FILE ${CPACK_DT_SVSCANBOOT} ${stage}/usr/bin/svscanboot)
  file(CHMOD ${stage}/usr/bin/svscanboot
       PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endif()
# svscanboot(8) describes the packaged paths: its .ds lines (see the page)
# get the Debian package's values.
set(page ${stage}/usr/share/man/man8/svscanboot.8)
if(EXISTS ${page})
  if(NOT DEFINED CPACK_DT_SERVICE_DIR)
    message(FATAL_ERROR "deb.cmake: CPACK_DT_SERVICE_DIR not set")
  endif()
  file(READ ${page} text)
  foreach(pair "sd;${CPACK_DT_SERVICE_DIR}" "pd;${CPACK_PACKAGING_INSTALL_PREFIX}/bin"
               "wh;the Debian package daemontools\\-cxx")
    list(GET pair 0 name)
    list(GET pair 1 value)
    string(REGEX MATCH "\n\\.ds ${name} [^\n]*" old "${text}")
    if(old STREQUAL "")
      message(FATAL_ERROR "deb.cmake: no .ds ${name} line in svscanboot.8")
    endif()
    string(REPLACE "${old}" "\n.ds ${name} ${value}" text "${text}")
  endforeach()
  file(WRITE ${page} "${text}")
endif()
# Debian's daemontools-run.service (another package's unit) runs svscanboot
# with systemd's default stop: every process TERMed at once, loggers
# included. A drop-in gives it the orderly stop of our own unit
# (package/boot/daemontools.service): its ExecStartPre, ExecStop and
# TimeoutStopSec lines, on this package's scan directory. Without
# daemontools-run it is inert.
if(DEFINED CPACK_DT_UNIT)
  file(READ ${CPACK_DT_UNIT} unit)
  set(dropin "# daemontools-cxx: stop daemontools-run.service in order (svscan(8),\n")
  string(APPEND dropin "# SIGNALS): each service first, its logger once the pipe is drained.\n")
  string(APPEND dropin "# Made from daemontools-cxx's own unit at package build time.\n[Service]\n")
  foreach(key ExecStartPre ExecStop TimeoutStopSec)
    string(REGEX MATCH "\n${key}=[^\n]*" line "${unit}")
    if(line STREQUAL "")
      message(FATAL_ERROR "deb.cmake: no ${key}= line in ${CPACK_DT_UNIT}")
    endif()
    string(SUBSTRING "${line}" 1 -1 line)
    string(REPLACE "/service/.svscan" "${CPACK_DT_SERVICE_DIR}/.svscan" line "${line}")
    string(APPEND dropin "${line}\n")
  endforeach()
  file(MAKE_DIRECTORY ${stage}/lib/systemd/system/daemontools-run.service.d)
  file(WRITE ${stage}/lib/systemd/system/daemontools-run.service.d/daemontools-cxx.conf "${dropin}")
  file(CHMOD ${stage}/lib/systemd/system/daemontools-run.service.d/daemontools-cxx.conf
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endif()
# Man pages compressed, as Debian policy wants.
file(GLOB pages ${stage}/usr/share/man/man*/*.[0-9])
foreach(page ${pages})
  execute_process(COMMAND gzip -9nf ${page} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "deb.cmake: gzip ${page} failed")
  endif()
endforeach()
# Debian's copyright file.
# (file(COPY), not file(INSTALL): CPack sets DESTDIR, which INSTALL would add.)
set(doc ${stage}/usr/share/doc/${CPACK_PACKAGE_NAME})
file(COPY ${CPACK_DT_LICENSE} DESTINATION ${doc}
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
get_filename_component(license ${CPACK_DT_LICENSE} NAME)
file(RENAME ${doc}/${license} ${doc}/copyright)
