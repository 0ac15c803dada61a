# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest https://example.org/tool.zip -OutFile tool.zip; `
    Expand-Archive tool.zip -DestinationPath C:\tool
WORKDIR C:\tool
