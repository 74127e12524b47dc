; Inno Setup script for the office installer (Inno Setup 6.3 or newer: x64compatible).
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
; Per-machine install (Program Files, Start menu for all users) by IT. A page "Satu PC ini /
; Server kantor" writes the machine configuration (%PROGRAMDATA%\PagarAlam\LayananTenagaKerja\
; koneksi.ini, via desktop-app.exe admin configure --machine), so every Windows account on the
; PC opens the same office database. Silent install for IT:
;
;   LayananTenagaKerja-Setup-1.0.0.exe /VERYSILENT /SUPPRESSMSGBOXES
;       /DATABASE=postgresql://ltk_app:KATASANDI@server-kantor:5432/layanan
;   LayananTenagaKerja-Setup-1.0.0.exe /VERYSILENT /DATABASE=satu-pc
;
; (the password is moved into pgpass.conf at once; see docs/server.md). The office's data -
; %PROGRAMDATA%\PagarAlam\LayananTenagaKerja (machine configuration, the one-PC database and its
; automatic backups) and each user's %LOCALAPPDATA% - is never removed by an upgrade or an
; uninstall. A newer version installed over an older one keeps the configuration; the program
; upgrades the database schema at its next start, after backing up an SQLite file.

#define AppName "Layanan Tenaga Kerja"
#define AppExeName "LayananTenagaKerja.exe"
#define CliExeName "desktop-app.exe"
#define AppPublisher "Dinas PMPTSP dan Tenaga Kerja Kota Pagar Alam"
#define DistDir AddBackslash(SourcePath) + "..\..\dist\LayananTenagaKerja"
#define IconFile AddBackslash(SourcePath) + "..\..\resources\images\app.ico"
#define DataDir "{commonappdata}\PagarAlam\LayananTenagaKerja"

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
; Per machine only: the machine configuration in %PROGRAMDATA% needs administrator rights.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#SourcePath}..\..\dist\installer
OutputBaseFilename=LayananTenagaKerja-Setup-{#AppVersion}
SetupIconFile={#IconFile}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
; Indonesian first and preselected; the language dialog lets an English reader switch.
LanguageDetectionMethod=none
ShowLanguageDialog=yes
; Close a running copy before files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "indonesian"; MessagesFile: "Indonesian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Messages]
english.ConfirmUninstall=Are you sure you want to completely remove %1 and all of its components? The office data (database and backups) is kept.

[CustomMessages]
indonesian.ModeTitle=Basis Data Kantor
indonesian.ModeDescription=Di mana data kantor disimpan?
indonesian.ModeLabel=Pilihan ini berlaku untuk semua pengguna Windows di komputer ini. Dapat diubah kemudian oleh pengelola TI (desktop-app admin configure).
indonesian.ModeLocal=Satu PC ini (basis data di komputer ini, dicadangkan otomatis setiap hari)
indonesian.ModeServer=Server kantor (PostgreSQL, untuk beberapa PC)
indonesian.ModeLater=Pilih nanti (program menanyakannya saat pertama dijalankan)
indonesian.ServerTitle=Server Kantor
indonesian.ServerDescription=Alamat server PostgreSQL dari pengelola TI.
indonesian.ServerLabel=Isi sesuai keluaran 'desktop-app admin init-server' di server. Kata sandi disimpan di berkas terpisah (pgpass.conf), bukan di konfigurasi.
indonesian.ServerHost=Server (nama atau alamat IP):
indonesian.ServerPort=Port:
indonesian.ServerDatabase=Basis data:
indonesian.ServerUser=Pengguna:
indonesian.ServerPassword=Kata sandi:
indonesian.ServerMissing=Isi server, basis data dan pengguna. Gunakan hanya huruf, angka, titik, garis bawah dan tanda hubung.
indonesian.ServerBadPort=Port harus angka 1 sampai 65535.
indonesian.ConfigureFailed=Konfigurasi basis data tidak dapat ditulis. Program akan menanyakannya saat pertama dijalankan, atau jalankan 'desktop-app admin configure --machine'.
english.ModeTitle=Office Database
english.ModeDescription=Where is the office's data kept?
english.ModeLabel=This choice applies to every Windows user of this computer. IT can change it later (desktop-app admin configure).
english.ModeLocal=This PC only (database on this computer, backed up automatically every day)
english.ModeServer=Office server (PostgreSQL, for several PCs)
english.ModeLater=Decide later (the program asks on its first start)
english.ServerTitle=Office Server
english.ServerDescription=The PostgreSQL server address from IT.
english.ServerLabel=Use what 'desktop-app admin init-server' printed on the server. The password is kept in a separate file (pgpass.conf), not in the configuration.
english.ServerHost=Server (name or IP address):
english.ServerPort=Port:
english.ServerDatabase=Database:
english.ServerUser=User:
english.ServerPassword=Password:
english.ServerMissing=Fill in server, database and user, using only letters, digits, dots, underscores and hyphens.
english.ServerBadPort=The port must be a number from 1 to 65535.
english.ConfigureFailed=The database configuration could not be written. The program asks for it on its first start, or run 'desktop-app admin configure --machine'.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Dirs]
; The configuration folder: every account reads it, only administrators change it.
Name: "{#DataDir}"; Permissions: users-readexec; Flags: uninsneveruninstall
; The one-PC database and its automatic backups: every account of the PC works in it.
Name: "{#DataDir}\data"; Permissions: users-modify; Flags: uninsneveruninstall

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
; Anything the program may have left inside its own folder (the office's data lives elsewhere).
Type: filesandordirs; Name: "{app}\_internal"

[Code]
var
  ModePage: TInputOptionWizardPage;
  ServerPage: TInputQueryWizardPage;

// The password reaches `admin configure` through libpq's own variable, never a command line.
function SetEnvironmentVariable(lpName: String; lpValue: String): Boolean;
  external 'SetEnvironmentVariableW@kernel32.dll stdcall';

function MachineConfigFile(): String;
begin
  Result := ExpandConstant('{#DataDir}\koneksi.ini');
end;

function DatabaseParam(): String;
begin
  Result := Trim(ExpandConstant('{param:DATABASE|}'));
end;

function KeepConfiguration(): Boolean;
begin
  // An upgrade, or IT's /DATABASE=, decides: the page is not shown.
  Result := FileExists(MachineConfigFile()) or (DatabaseParam() <> '');
end;

function IsPlain(Value: String): Boolean;
var
  I: Integer;
  C: Char;
begin
  Result := Value <> '';
  for I := 1 to Length(Value) do
  begin
    C := Value[I];
    if not (((C >= 'a') and (C <= 'z')) or ((C >= 'A') and (C <= 'Z')) or
            ((C >= '0') and (C <= '9')) or (C = '.') or (C = '_') or (C = '-')) then
      Result := False;
  end;
end;

procedure InitializeWizard();
begin
  ModePage := CreateInputOptionPage(wpSelectTasks, CustomMessage('ModeTitle'),
    CustomMessage('ModeDescription'), CustomMessage('ModeLabel'), True, False);
  ModePage.Add(CustomMessage('ModeLocal'));
  ModePage.Add(CustomMessage('ModeServer'));
  ModePage.Add(CustomMessage('ModeLater'));
  ModePage.SelectedValueIndex := 0;

  ServerPage := CreateInputQueryPage(ModePage.ID, CustomMessage('ServerTitle'),
    CustomMessage('ServerDescription'), CustomMessage('ServerLabel'));
  ServerPage.Add(CustomMessage('ServerHost'), False);
  ServerPage.Add(CustomMessage('ServerPort'), False);
  ServerPage.Add(CustomMessage('ServerDatabase'), False);
  ServerPage.Add(CustomMessage('ServerUser'), False);
  ServerPage.Add(CustomMessage('ServerPassword'), True);
  ServerPage.Values[1] := '5432';
  ServerPage.Values[2] := 'layanan';
  ServerPage.Values[3] := 'ltk_app';
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := False;
  if PageID = ModePage.ID then
    Result := KeepConfiguration()
  else if PageID = ServerPage.ID then
    Result := KeepConfiguration() or (ModePage.SelectedValueIndex <> 1);
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Port: Integer;
begin
  Result := True;
  if CurPageID = ServerPage.ID then
  begin
    Port := StrToIntDef(Trim(ServerPage.Values[1]), 0);
    if not (IsPlain(Trim(ServerPage.Values[0])) and IsPlain(Trim(ServerPage.Values[2])) and
            IsPlain(Trim(ServerPage.Values[3]))) then
    begin
      MsgBox(CustomMessage('ServerMissing'), mbError, MB_OK);
      Result := False;
    end
    else if (Port < 1) or (Port > 65535) then
    begin
      MsgBox(CustomMessage('ServerBadPort'), mbError, MB_OK);
      Result := False;
    end;
  end;
end;

function LocalDatabaseUrl(): String;
begin
  Result := ExpandConstant('{#DataDir}\data\layanan_tenaga_kerja.sqlite');
  StringChangeEx(Result, '\', '/', True);
  Result := 'sqlite:///' + Result;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Url, Password: String;
  ResultCode: Integer;
begin
  if CurStep <> ssPostInstall then
    Exit;
  Password := '';
  Url := DatabaseParam();
  if Url = '' then
  begin
    // Upgrades keep the configuration; a silent install without /DATABASE= leaves the
    // choice to the program's first start.
    if FileExists(MachineConfigFile()) or WizardSilent() then
      Exit;
    case ModePage.SelectedValueIndex of
      0: Url := 'satu-pc';
      1: begin
           Url := 'postgresql://' + Trim(ServerPage.Values[3]) + '@' +
                  Trim(ServerPage.Values[0]) + ':' + Trim(ServerPage.Values[1]) + '/' +
                  Trim(ServerPage.Values[2]);
           Password := ServerPage.Values[4];
         end;
    else
      Exit;
    end;
  end;
  if CompareText(Url, 'satu-pc') = 0 then
    Url := LocalDatabaseUrl();
  SetEnvironmentVariable('PGPASSWORD', Password);
  if not Exec(ExpandConstant('{app}\{#CliExeName}'),
              'admin configure --machine --no-check --database "' + Url + '"', '',
              SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
    SuppressibleMsgBox(CustomMessage('ConfigureFailed'), mbError, MB_OK, IDOK);
  SetEnvironmentVariable('PGPASSWORD', '');
end;
