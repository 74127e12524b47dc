; Inno Setup script for the office installer (Inno Setup 6.3 or newer).
;
; Build the PyInstaller folder first, then compile from the repository root:
;
;   pyinstaller --noconfirm installer.spec
;   iscc build\windows\installer.iss
;
; Output: dist\installer\LayananTenagaKerja-Setup-<version>.exe
; The version is read from the version resource of dist\LayananTenagaKerja\LayananTenagaKerja.exe
; (written by installer.spec from desktop_app.__version__); override with  iscc /DAppVersion=1.2.3 ...
;
; The user's database (%LOCALAPPDATA%\PagarAlam\LayananTenagaKerja) is never touched by
; installing, upgrading or uninstalling.

#define AppName "Layanan Tenaga Kerja"
#define AppExeName "LayananTenagaKerja.exe"
#define CliExeName "desktop-app.exe"
#define AppPublisher "Dinas PMPTSP dan Tenaga Kerja Kota Pagar Alam"
#define DistDir AddBackslash(SourcePath) + "..\..\dist\LayananTenagaKerja"

#if !FileExists(DistDir + "\" + AppExeName)
  #error "dist\LayananTenagaKerja\LayananTenagaKerja.exe not found: run `pyinstaller installer.spec` first"
#endif

#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(DistDir + "\" + AppExeName)
#endif

[Setup]
; Keep AppId for ever: it is how Windows recognises upgrades of the same program.
AppId={{6B0C6E52-3A8F-4C55-9E53-2F7C1D4A9B10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoCompany={#AppPublisher}
VersionInfoDescription={#AppName} - Setup
DefaultDirName={autopf}\LayananTenagaKerja
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installed for all users by IT (Program Files); a clerk without admin rights may choose
; "only for me" in the first dialog.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#SourcePath}..\..\dist\installer
OutputBaseFilename=LayananTenagaKerja-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
; Close a running copy before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(CompilerPath + "Languages\Indonesian.isl")
Name: "indonesian"; MessagesFile: "compiler:Languages\Indonesian.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the whole bundle, so no library of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Anything the program may have left inside its own folder (the user's data lives elsewhere).
Type: filesandordirs; Name: "{app}\_internal"
