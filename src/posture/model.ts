/**
 * The posture: what was read of a target's state, once, as validate, audit, export and the graph judge it.
 * src/posture/read.ts reads it through the ARM SDK; audit builds it from Resource Graph rows.
 */
import type { CorsRule, StorageAccount } from '@azure/arm-storage';
import type { PrivateEndpoint, Subnet, VirtualNetwork } from '@azure/arm-network';
import type { Account as CognitiveAccount } from '@azure/arm-cognitiveservices';
import type { Cloud, PrivateLinkService } from '../core/cloud.js';
import { sameId } from '../core/resource-id.js';

/** The targets as a command read them (steps/targets.ts's Targets has these shapes). */
export type Account = CognitiveAccount & { id: string; name: string };
export type Storage = StorageAccount & { id: string; name: string };
export type Vnet = VirtualNetwork & { id: string; name: string };
export type VnetSubnet = Subnet & { id: string; name: string };

export interface PostureTargets {
  account?: Account;
  storage?: Storage;
  vnet?: Vnet;
  subnet?: VnetSubnet;
  /** the private DNS zones each target's endpoint needs (its private link resource's requiredZoneNames) */
  zoneNames?: Record<PrivateLinkService, string[]>;
}

export interface EndpointView {
  privateEndpointId: string;
  connectionId?: string;
  /** the connection state the target reports: Approved, Pending, Rejected, Disconnected */
  status?: string;
  /** undefined when the endpoint could not be read (deleted) */
  pe?: PrivateEndpoint;
  groupIds: string[];
  inChosenVnet: boolean;
  /** the endpoint's addresses for the target's host name: its NIC's, else what its zone group wrote */
  ips: string[];
  /** the same, for each host name the endpoint serves in one of the target's zones */
  hostIps: Record<string, string[]>;
  /** private DNS zones its zone groups write to */
  zoneIds: string[];
}

export interface ZoneView {
  zoneId: string;
  zoneName: string;
  /** the host name this zone answers for, e.g. docintel-demo.openai.azure.com in privatelink.openai.azure.com */
  host: string;
  exists: boolean;
  linkedVnetIds: string[];
  recordName: string;
  /** the A record's addresses; undefined when there is no record */
  recordIps?: string[];
  /** found through the endpoint's zone group (else looked up by its conventional name and place) */
  viaZoneGroup: boolean;
}

export interface PrivateLinkView {
  service: PrivateLinkService;
  targetId: string;
  /** the Azure host name clients use, e.g. docintel-demo.cognitiveservices.azure.com */
  host?: string;
  endpoints: EndpointView[];
  /** the endpoint in the chosen VNet (an Approved one first) */
  chosen?: EndpointView;
  /** whether the caller may approve connections on the target (read only when the chosen one is Pending) */
  mayApprove?: boolean;
  /** the zone of the target's own host name (the first of `zones`) */
  zone?: ZoneView;
  /** every zone the target's endpoint needs (its requiredZoneNames), the host name's own first */
  zones: ZoneView[];
}

export interface RoleView {
  scope: string;
  roleDefinitionId: string;
  roleName: string;
  coversRead: boolean;
  coversWrite: boolean;
}

export interface Posture {
  cloud: Cloud;
  account: Account;
  storage: Storage;
  vnet: Vnet;
  subnet: VnetSubnet;
  /** the system-assigned identity's principal */
  principalId?: string;
  /** the principal's role assignments at the storage account or above; undefined without a principal */
  roles?: RoleView[];
  corsRules: CorsRule[];
  privateLinks: Record<PrivateLinkService, PrivateLinkView>;
}

/**
 * A posture seen from afar (audit, through Resource Graph): the storage is unknown when nothing links
 * it to the account, the VNet and subnet when the account has no private endpoint. The checks that
 * need only the account take this; validate always knows every target.
 */
export type AccountPosture = Omit<Posture, 'storage' | 'vnet' | 'subnet'> & { storage?: Storage; vnet?: Posture['vnet']; subnet?: Posture['subnet'] };

export function systemPrincipal(account: Account): string | undefined {
  return account.identity?.type?.includes('SystemAssigned') ? account.identity.principalId : undefined;
}

export function isLinked(zone: ZoneView | undefined, vnetId: string): boolean {
  return !!zone?.linkedVnetIds.some((id) => sameId(id, vnetId));
}
